export { Notifier, type NotifierDeps } from './notifier.js';
export { NotificationQueue, type NotificationQueueDeps, type Transition } from './notification-queue.js';
export {
  announcement,
  renderMessage,
  visibleMessage,
  type TransitionEvent,
  type Message,
  type MessageFacts,
  type Recipient,
} from './messages.js';
export type { Channel, DeliveryPayload, DeliveryResult } from './delivery.js';
export {
  CHANNELS,
  DELIVERY_HEADER,
  EmailChannel,
  SIGNATURE_HEADER,
  SpeakerAnnounceChannel,
  TIMESTAMP_HEADER,
  WebPushChannel,
  WebhookChannel,
  signWebhook,
  vapidKeys,
  type ChannelDefinition,
  type SmtpSettings,
  type VapidKeys,
} from './channels/index.js';
export { composeNotify, type Notify, type NotifyDeps } from './compose.js';

export { Notifier, type NotifierDeps } from './notifier.js';
export { NotificationQueue, type NotificationQueueDeps, type Transition } from './notification-queue.js';
export { WebhookChannel, signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER, DELIVERY_HEADER } from './webhook.js';
export { EmailChannel, type SmtpSettings } from './email.js';
export { WebPushChannel, vapidKeys, type VapidKeys } from './web-push.js';
export { SpeakerAnnounceChannel } from './speaker-announce.js';
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
export { composeNotify, type Notify, type NotifyDeps } from './compose.js';

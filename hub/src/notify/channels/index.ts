import type { ChannelDefinition } from './channel.js';
import { email } from './email.js';
import { speakerAnnounce } from './speaker-announce.js';
import { webPush } from './web-push.js';
import { webhook } from './webhook.js';

export type { ChannelContext, ChannelDefinition } from './channel.js';
export { EmailChannel, type SmtpSettings } from './email.js';
export { SpeakerAnnounceChannel } from './speaker-announce.js';
export { WebPushChannel, vapidKeys, type VapidKeys } from './web-push.js';
export { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookChannel, signWebhook } from './webhook.js';

/** Every channel the hub can reach people by; a new one is a file and a line here. */
export const CHANNELS: readonly ChannelDefinition[] = [email, webPush, webhook, speakerAnnounce];

export { Notifier, type NotifierDeps } from './notifier.js';
export { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER, DELIVERY_HEADER } from './webhook.js';

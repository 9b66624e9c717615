import type { ChannelDefinition } from './channel.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Agent } from 'node:https';
import { join } from 'node:path';
import webpush, { WebPushError } from 'web-push';
import type { OutboxItem, UserRepository } from '../../store/index.js';
import { httpResult, type Channel, type DeliveryPayload, type DeliveryResult } from '../delivery.js';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  /** mailto: or https: contact the push services may use (RFC 8292). */
  subject: string;
}

/**
 * The configured VAPID keys, or keys generated once and kept in the data directory: browsers
 * tie a subscription to the public key, so it must not change between restarts.
 */
export function vapidKeys(dataDir: string, configured: { [K in keyof VapidKeys]?: string | undefined }): VapidKeys {
  const subject = configured.subject ?? 'mailto:admin@localhost';
  if (configured.publicKey && configured.privateKey)
    return { publicKey: configured.publicKey, privateKey: configured.privateKey, subject };
  const file = join(dataDir, 'vapid.json');
  if (existsSync(file)) return { ...(JSON.parse(readFileSync(file, 'utf8')) as Omit<VapidKeys, 'subject'>), subject };
  const generated = webpush.generateVAPIDKeys();
  writeFileSync(file, JSON.stringify(generated), { mode: 0o600 });
  return { ...generated, subject };
}

/** Web Push to every browser a watcher subscribed (the dashboard's service worker shows it). */
export class WebPushChannel implements Channel {
  readonly name = 'push';

  constructor(
    private readonly keys: VapidKeys,
    private readonly users: Pick<UserRepository, 'removePushSubscription'>,
    private readonly timeoutMs: number,
    /** For a private CA or an outbound proxy in front of the push services. */
    private readonly agent?: Agent,
  ) {}

  async send(item: OutboxItem, payload: DeliveryPayload, nowMs: number): Promise<DeliveryResult> {
    const subscription = JSON.parse(item.target) as { endpoint: string; keys: { p256dh: string; auth: string } };
    const body = JSON.stringify({
      title: payload.message.subject,
      body: payload.message.text,
      url: payload.link,
      tag: item.alertId,
      deliveryKey: item.dedupKey,
    });
    try {
      await webpush.sendNotification(subscription, body, {
        vapidDetails: this.keys,
        TTL: 6 * 60 * 60,
        urgency: 'high',
        timeout: this.timeoutMs,
        topic: item.alertId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32),
        ...(this.agent && { agent: this.agent }),
      });
      return { ok: true };
    } catch (error) {
      if (!(error instanceof WebPushError))
        return { ok: false, permanent: false, error: `push failed: ${(error as Error).message}` };
      // 404/410: the browser unsubscribed; forget it so it is not tried again.
      if (error.statusCode === 404 || error.statusCode === 410)
        this.users.removePushSubscription(subscription.endpoint);
      return httpResult(error.statusCode, error.headers['retry-after'], nowMs);
    }
  }
}

export const webPush: ChannelDefinition = {
  name: 'push',
  // The whole subscription is the address: the push service needs its keys as well as its endpoint.
  addressesOf: (contact) => contact.push.map((subscription) => JSON.stringify(subscription)),
  create: ({ vapid, users, timeoutMs }) => new WebPushChannel(vapid, users, timeoutMs),
};

import type { ChannelDefinition } from './channel.js';
import { createHmac } from 'node:crypto';
import type { WebhookConfig } from '../../config/index.js';
import type { OutboxItem } from '../../store/index.js';
import { httpResult, type Channel, type DeliveryPayload, type DeliveryResult } from '../delivery.js';

export const SIGNATURE_HEADER = 'x-mimamori-signature';
export const TIMESTAMP_HEADER = 'x-mimamori-timestamp';
export const DELIVERY_HEADER = 'x-mimamori-delivery';

/**
 * `sha256=` + hex HMAC-SHA256 over `{timestamp}.{body}`. Signing the timestamp with the body
 * lets receivers reject replays of an old delivery (the Stripe/Slack scheme bridges know).
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * The webhook body. `text` is a ready-made message so that LINE, Slack or Teams bridges can
 * forward it without knowing our schema; `deliveryKey` is stable across retries, for deduping.
 */
export function webhookBody(payload: DeliveryPayload, deliveryKey: string): string {
  return JSON.stringify({
    event: payload.event,
    deliveryKey,
    text: payload.message.text,
    link: payload.link,
    alert: payload.alert ?? null,
    home: payload.home ?? null,
  });
}

/** Signed HTTP POSTs to the configured webhooks (bridges to LINE groups, Slack, Teams). */
export class WebhookChannel implements Channel {
  readonly name = 'webhook';
  readonly #secrets: Map<string, string>;

  constructor(
    webhooks: readonly WebhookConfig[],
    private readonly timeoutMs: number,
  ) {
    this.#secrets = new Map(webhooks.map((w) => [w.url, w.secret]));
  }

  async send(item: OutboxItem, payload: DeliveryPayload, nowMs: number): Promise<DeliveryResult> {
    const secret = this.#secrets.get(item.target);
    if (secret === undefined) return { ok: false, permanent: true, error: 'webhook no longer configured' };
    const body = webhookBody(payload, item.dedupKey);
    const timestamp = Math.floor(nowMs / 1000);
    let response: Response;
    try {
      response = await fetch(item.target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
          [DELIVERY_HEADER]: item.dedupKey,
          'user-agent': 'mimamori-hub',
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      await response.body?.cancel();
    } catch (error) {
      return { ok: false, permanent: false, error: `request failed: ${(error as Error).message}` };
    }
    return httpResult(response.status, response.headers.get('retry-after'), nowMs);
  }
}

/** Bridges (LINE, Slack, Teams) and staff systems, at the URLs a tier or the configuration names. */
export const webhook: ChannelDefinition = {
  name: 'webhook',
  create: ({ settings, timeoutMs }) => new WebhookChannel(settings.webhooks, timeoutMs),
};

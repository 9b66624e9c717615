import { createHmac } from 'node:crypto';
import type { AlertOutcome } from '@mimamori/contract';
import type { AlertNotification } from '../alerts/index.js';

/** Outcomes as a volunteer would say them. */
const OUTCOME_JA: Record<AlertOutcome, string> = {
  fine: '元気でした',
  asleep: '寝ていました',
  out: '外出していました',
  hospital: '入院していました',
  ambulance: '救急搬送しました',
  deceased: '亡くなっていました',
  device_fault: '機器の不具合でした',
  false_alarm_other: 'その他の誤報でした',
};

/** Result of one delivery attempt; `retryAfterMs` honours a 429/503 `Retry-After`. */
export type DeliveryResult =
  | { ok: true }
  | { ok: false; permanent: boolean; error: string; retryAfterMs?: number };

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
 * The webhook body. `text` is a ready-made one-line message so that LINE, Slack or Teams
 * bridges can forward it without knowing our schema; the structured fields are for the rest.
 */
export function webhookBody(notification: AlertNotification): string {
  const { alert, home } = notification;
  const where = home ? `${home.name}${home.district ? `（${home.district}）` : ''}` : alert.homeId;
  const mark = alert.severity === 'critical' ? '【緊急】' : alert.severity === 'warning' ? '【注意】' : '【お知らせ】';
  const who = notification.actor?.displayName ?? '';
  const text =
    notification.event === 'alert.cleared' ? `【解除】${where}: ${notification.reason?.ja ?? ''}（${alert.message.ja}）`
    : notification.event === 'alert.acknowledged' ? `【対応中】${where}: ${who}さんが向かっています（${alert.message.ja}）`
    : notification.event === 'alert.resolved' ? `【対応済】${where}: ${who}さんが対応しました。結果: ${OUTCOME_JA[alert.outcome ?? 'false_alarm_other']}`
    : `${mark}${where}: ${alert.message.ja}`;
  return JSON.stringify({
    event: notification.event,
    text,
    alert,
    home: home ?? null,
  });
}

/** Statuses worth retrying: the receiver is overloaded, down or timed out, not refusing us. */
const TRANSIENT_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export async function postWebhook(options: {
  url: string;
  secret: string;
  body: string;
  deliveryId: string;
  nowMs: number;
  timeoutMs: number;
}): Promise<DeliveryResult> {
  const timestamp = Math.floor(options.nowMs / 1000);
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(options.secret, timestamp, options.body),
        [DELIVERY_HEADER]: options.deliveryId,
        'user-agent': 'mimamori-hub',
      },
      body: options.body,
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
    await response.body?.cancel();
  } catch (error) {
    return { ok: false, permanent: false, error: `request failed: ${(error as Error).message}` };
  }
  if (response.ok) return { ok: true };
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.nowMs);
  return {
    ok: false,
    permanent: !TRANSIENT_STATUS.has(response.status),
    error: `HTTP ${response.status}`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3), in ms from now. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

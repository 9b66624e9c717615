import type { Alert, Home } from '@mimamori/contract';
import type { OutboxItem } from '../store/index.js';
import type { Message, TransitionEvent } from './messages.js';

/**
 * What one outbox row carries, rendered when the transition happened: a person's message is
 * already in their language and cut to what consent allows, so delivery only sends it.
 */
export interface DeliveryPayload {
  event: TransitionEvent;
  message: Message;
  link: string;
  /** For bridge webhooks (staff-level): the alert and the home. */
  alert?: Alert;
  home?: Pick<Home, 'id' | 'name' | 'district'>;
  /** For the speaker channel: the words to say. */
  announce?: { text: string; lang: 'ja' | 'en' };
}

/** Result of one delivery attempt; `retryAfterMs` honours a 429/503 `Retry-After`. */
export type DeliveryResult = { ok: true } | { ok: false; permanent: boolean; error: string; retryAfterMs?: number };

/** One way of reaching people, set up (see `ChannelDefinition`); the notifier owns the outbox and the retries. */
export interface Channel {
  readonly name: string;
  send(item: OutboxItem, payload: DeliveryPayload, nowMs: number): Promise<DeliveryResult>;
  /** Lets go of what it holds open (an SMTP pool) when the hub stops. */
  close?(): void;
}

/** Statuses worth retrying: the receiver is overloaded, down or timed out, not refusing us. */
const TRANSIENT_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Classifies an HTTP answer (webhooks and push services share these rules). */
export function httpResult(status: number, retryAfter: string | null | undefined, nowMs: number): DeliveryResult {
  if (status >= 200 && status < 300) return { ok: true };
  const retryAfterMs = parseRetryAfter(retryAfter ?? null, nowMs);
  return {
    ok: false,
    permanent: !TRANSIENT_STATUS.has(status),
    error: `HTTP ${status}`,
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

import type { Logger } from 'pino';
import type { Metrics } from '../metrics/index.js';
import type { OutboxItem, OutboxRepository } from '../store/index.js';
import { SerialRunner, type Clock } from '../time/index.js';
import type { Channel, DeliveryPayload, DeliveryResult } from './delivery.js';

export interface NotifierDeps {
  outbox: OutboxRepository;
  channels: readonly Channel[];
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
  /** Backoff of the n-th retry: min × 2^(n−1), capped at max, with jitter (defaults 5 s and 10 min). */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** 0–1 → the jitter; injected so tests can pin it. */
  random?: () => number;
}

const BATCH = 50;

/**
 * Delivers the durable outbox, at least once. Works only on what is stored: a crash between
 * sending and marking sent resends after restart (receivers dedupe by the delivery key). Each
 * attempt's result is recorded; transient failures are retried with capped exponential backoff
 * and jitter (a recovering receiver is not hit by every hub at once), never sooner than its
 * Retry-After, for as long as it takes; a permanent refusal (4xx but 408/429) is given up and
 * logged loudly. One failing channel or receiver holds up nothing else.
 */
export class Notifier {
  readonly #runner: SerialRunner;
  readonly #channels: Map<string, Channel>;

  constructor(private readonly deps: NotifierDeps) {
    this.#channels = new Map(deps.channels.map((channel) => [channel.name, channel]));
    this.#runner = new SerialRunner(
      deps.clock,
      () => this.#deliverDue(),
      (error) => deps.logger.error({ err: error }, 'notification round failed'),
    );
  }

  start(): void {
    this.#runner.start();
  }

  stop(): Promise<void> {
    return this.#runner.stop();
  }

  /** Asks for a delivery round soon; safe to call from inside a transaction (runs after it). */
  wake(): void {
    this.#runner.wake();
  }

  /** Delivers everything due; returns how long to sleep until the next pending item falls due. */
  async #deliverDue(): Promise<number | undefined> {
    const { outbox, clock } = this.deps;
    for (let due = outbox.due(clock.now(), BATCH); due.length > 0; due = outbox.due(clock.now(), BATCH)) {
      const sent = await Promise.all(due.map(async (item) => ({ item, result: await this.#send(item) })));
      // The batch's results in one commit: one each (an fsync) was most of the hub's time when
      // 83,800 alerts went out at once (issue 21). A crash before it sends the batch again, and
      // receivers dedupe it by the delivery key, as after any crash between sending and marking.
      outbox.transaction(() => sent.forEach(({ item, result }) => this.#record(item, result)));
    }
    const next = outbox.nextDueAt();
    return next === undefined ? undefined : Math.max(0, next - clock.now());
  }

  #record(item: OutboxItem, result: DeliveryResult): void {
    const { outbox, clock, metrics, logger } = this.deps;
    const now = clock.now();
    if (result.ok) {
      outbox.markDelivered(item.id, now);
      metrics.notifications.inc({ channel: item.channel, result: 'delivered' });
      return;
    }
    if (result.permanent) {
      outbox.markFailed(item.id, result.error);
      metrics.notifications.inc({ channel: item.channel, result: 'failed' });
      logger.error(
        {
          deliveryId: item.dedupKey,
          alertId: item.alertId,
          channel: item.channel,
          recipient: item.recipient,
          error: result.error,
        },
        'notification refused for good; check the address or endpoint',
      );
      return;
    }
    const retryAt = now + Math.max(this.#backoff(item.attempts + 1), result.retryAfterMs ?? 0);
    outbox.markRetry(item.id, result.error, retryAt);
    metrics.notifications.inc({ channel: item.channel, result: 'retry' });
    logger.warn(
      {
        deliveryId: item.dedupKey,
        channel: item.channel,
        attempt: item.attempts + 1,
        error: result.error,
        retryAt: new Date(retryAt),
      },
      'notification failed; will retry',
    );
  }

  async #send(item: OutboxItem): Promise<DeliveryResult> {
    const channel = this.#channels.get(item.channel);
    if (!channel) return { ok: false, permanent: true, error: `channel ${item.channel} is not configured` };
    try {
      return await channel.send(item, JSON.parse(item.payload) as DeliveryPayload, this.deps.clock.now());
    } catch (error) {
      return { ok: false, permanent: false, error: `channel failed: ${(error as Error).message}` };
    }
  }

  /** "Equal jitter": half the exponential step fixed, half random, so retries spread out but never come early. */
  #backoff(attempt: number): number {
    const min = this.deps.retryMinMs ?? 5000;
    const step = Math.min(this.deps.retryMaxMs ?? 600_000, min * 2 ** (attempt - 1));
    return step / 2 + (step / 2) * (this.deps.random ?? Math.random)();
  }
}

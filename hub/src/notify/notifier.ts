import type { Logger } from 'pino';
import type { AlertNotification } from '../alerts/index.js';
import type { WebhookConfig } from '../config/index.js';
import type { Metrics } from '../metrics/index.js';
import type { OutboxItem, OutboxRepository } from '../store/index.js';
import { SerialRunner, type Clock } from '../time/index.js';
import { postWebhook, webhookBody, type DeliveryResult } from './webhook.js';

export interface NotifierDeps {
  outbox: OutboxRepository;
  webhooks: readonly WebhookConfig[];
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
  /** Backoff of the n-th retry: min × 2^(n−1), capped at max (defaults 5 s and 10 min). */
  retryMinMs?: number;
  retryMaxMs?: number;
  timeoutMs?: number;
}

const BATCH = 50;

/**
 * Delivers the durable outbox. Works only on what is stored: a crash between "queued" and
 * "sent" redelivers after restart (receivers dedupe by the delivery id header). Each attempt's
 * result is recorded; transient failures are retried with capped exponential backoff for as
 * long as it takes, permanent refusals (4xx) are given up and logged loudly.
 */
export class Notifier {
  readonly #runner: SerialRunner;
  readonly #secrets: Map<string, string>;

  constructor(private readonly deps: NotifierDeps) {
    this.#secrets = new Map(deps.webhooks.map((w) => [w.url, w.secret]));
    this.#runner = new SerialRunner(deps.clock, () => this.#deliverDue(), (error) =>
      deps.logger.error({ err: error }, 'notification round failed'));
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
      await Promise.all(due.map((item) => this.#deliver(item)));
    }
    const next = outbox.nextDueAt();
    return next === undefined ? undefined : Math.max(0, next - clock.now());
  }
  async #deliver(item: OutboxItem): Promise<void> {
    const result = await this.#send(item);
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
      logger.error({ deliveryId: item.id, alertId: item.alertId, target: item.target, error: result.error },
        'notification refused for good; check the endpoint');
      return;
    }
    const retryAt = now + Math.max(this.#backoff(item.attempts + 1), result.retryAfterMs ?? 0);
    outbox.markRetry(item.id, result.error, retryAt);
    metrics.notifications.inc({ channel: item.channel, result: 'retry' });
    logger.warn({ deliveryId: item.id, attempt: item.attempts + 1, error: result.error, retryAt: new Date(retryAt) },
      'notification failed; will retry');
  }

  async #send(item: OutboxItem): Promise<DeliveryResult> {
    const secret = this.#secrets.get(item.target);
    if (secret === undefined) return { ok: false, permanent: true, error: 'webhook no longer configured' };
    const notification = JSON.parse(item.payload) as AlertNotification;
    return postWebhook({
      url: item.target,
      secret,
      body: webhookBody(notification),
      deliveryId: String(item.id),
      nowMs: this.deps.clock.now(),
      timeoutMs: this.deps.timeoutMs ?? 10_000,
    });
  }

  #backoff(attempt: number): number {
    const min = this.deps.retryMinMs ?? 5000;
    return Math.min(this.deps.retryMaxMs ?? 600_000, min * 2 ** (attempt - 1));
  }
}

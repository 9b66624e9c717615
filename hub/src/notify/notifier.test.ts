import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics/index.js';
import { AlertRepository, OutboxRepository, openDatabase } from '../store/index.js';
import { ManualClock } from '../time/index.js';
import { Notifier } from './notifier.js';
import { parseRetryAfter, type DeliveryPayload } from './delivery.js';
import { WebhookChannel } from './channels/index.js';

/** A webhook receiver that answers each request with the next scripted status (then 200). */
async function scriptedReceiver(statuses: { status: number; headers?: Record<string, string> }[]) {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(String(request.headers['x-mimamori-delivery']));
    const next = statuses.shift() ?? { status: 200 };
    response.writeHead(next.status, next.headers).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen, close: () => server.close() };
}

function setup(url: string, random = () => 1) {
  const db = openDatabase(':memory:');
  db.prepare(
    `INSERT INTO homes (id, name, timezone, created_at, updated_at) VALUES ('home-1', '宅', 'Asia/Tokyo', 0, 0)`,
  ).run();
  const alerts = new AlertRepository(db);
  const clock = new ManualClock(Date.now());
  const alert = alerts.open(
    {
      homeId: 'home-1',
      residentId: undefined,
      rule: 'sos',
      severity: 'critical',
      message: { ja: 'SOS', en: 'SOS' },
      sourceEventSeq: 1,
      occurredAt: undefined,
      lateReport: false,
    },
    clock.now(),
  );
  const payload: DeliveryPayload = {
    event: 'alert.opened',
    message: { subject: '【緊急】宅', text: '【緊急】宅\nSOS' },
    link: 'http://hub/#/alerts/a',
    alert,
  };
  alerts.queueDelivery(
    alert.id,
    { transition: 1, channel: 'webhook', target: url, recipient: undefined, payload: JSON.stringify(payload) },
    clock.now(),
  );
  const outbox = new OutboxRepository(db);
  const channels = [new WebhookChannel([{ url, secret: 's'.repeat(16), tiersOnly: false }], 5000)];
  const newNotifier = () =>
    new Notifier({ outbox, channels, clock, random, metrics: createMetrics(), logger: pino({ level: 'silent' }) });
  const status = () =>
    db.prepare('SELECT status, attempts, next_attempt_at AS nextAt FROM outbox').get() as {
      status: string;
      attempts: number;
      nextAt: number;
    };
  return { notifier: newNotifier(), newNotifier, clock, status };
}

const settle = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('Notifier', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('retries a failing endpoint with growing backoff until it is delivered, keeping the delivery key', async () => {
    const receiver = await scriptedReceiver([{ status: 503 }, { status: 500 }]);
    const { notifier, clock, status } = setup(receiver.url);
    cleanups.push(receiver.close, () => notifier.stop());
    notifier.start();
    await settle(() => status().attempts === 1);
    expect(status()).toMatchObject({ status: 'pending', attempts: 1, nextAt: clock.now() + 5000 });
    clock.advance(5000);
    await settle(() => status().attempts === 2);
    expect(status()).toMatchObject({ status: 'pending', nextAt: clock.now() + 10_000 });
    clock.advance(10_000);
    await settle(() => status().status === 'delivered');
    expect(status()).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(new Set(receiver.seen)).toEqual(new Set([expect.stringMatching(/^a_\w+:1:webhook:http/)]));
  });

  it('spreads retries with jitter: between half and all of the backoff step, never sooner', async () => {
    const receiver = await scriptedReceiver([{ status: 503 }]);
    const { notifier, clock, status } = setup(receiver.url, () => 0);
    cleanups.push(receiver.close, () => notifier.stop());
    notifier.start();
    await settle(() => status().attempts === 1);
    expect(status().nextAt).toBe(clock.now() + 2500);
  });

  it('waits as long as Retry-After asks on 429', async () => {
    const receiver = await scriptedReceiver([{ status: 429, headers: { 'retry-after': '120' } }]);
    const { notifier, clock, status } = setup(receiver.url);
    cleanups.push(receiver.close, () => notifier.stop());
    notifier.start();
    await settle(() => status().attempts === 1);
    expect(status().nextAt).toBe(clock.now() + 120_000);
  });

  it('gives up on a permanent refusal (404) instead of retrying forever', async () => {
    const receiver = await scriptedReceiver([{ status: 404 }]);
    const { notifier, status } = setup(receiver.url);
    cleanups.push(receiver.close, () => notifier.stop());
    notifier.start();
    await settle(() => status().status === 'failed');
    expect(status()).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('sends again, with the same key, what was sent but not yet marked when the hub died', async () => {
    // The receiver takes the first request but has not answered when the "crash" happens: the
    // row is still pending, so the notifier of the restarted hub (a second one on the same
    // outbox) sends it again. The receiver dedupes on the key; nothing is dropped.
    const held: (() => void)[] = [];
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(String(request.headers['x-mimamori-delivery']));
      if (seen.length === 1) held.push(() => response.writeHead(200).end());
      else response.writeHead(200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { notifier, newNotifier, status } = setup(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const restarted = newNotifier();
    cleanups.push(
      () => held.forEach((release) => release()),
      () => notifier.stop(),
      () => restarted.stop(),
      () => server.close(),
    );
    notifier.start();
    await settle(() => seen.length === 1);
    expect(status().status).toBe('pending');
    restarted.start();
    await settle(() => status().status === 'delivered');
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(seen[0]);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-22T00:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

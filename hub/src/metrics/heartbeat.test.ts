import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../testing/receivers.js';
import { until } from '../testing/until.js';
import { Heartbeat } from './heartbeat.js';

describe('Heartbeat (dead-man’s switch)', () => {
  let heartbeat: Heartbeat | undefined;
  afterEach(() => heartbeat?.stop());

  it('calls the watchdog every interval with the audit head, and falls silent while the hub is not healthy', async () => {
    const watchdog = await startWebhookReceiver();
    let healthy = true;
    heartbeat = new Heartbeat({
      url: watchdog.url,
      intervalMs: 50,
      healthy: async () => healthy,
      auditHead: () => 'ab12',
      logger: pino({ level: 'silent' }),
    });
    heartbeat.start();
    await until(
      () => watchdog.received.length,
      (n) => n >= 3,
    );
    expect(watchdog.received[0]?.headers['x-mimamori-audit-head']).toBe('ab12');

    healthy = false;
    await new Promise((resolve) => setTimeout(resolve, 100)); // a beat already on its way may still land
    const whileBroken = watchdog.received.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(watchdog.received.length).toBe(whileBroken);

    healthy = true;
    await until(
      () => watchdog.received.length,
      (n) => n > whileBroken,
    );
    expect(watchdog.received.length).toBeGreaterThan(whileBroken);
    heartbeat.stop();
    await watchdog.close();
  });

  it('keeps beating when the watchdog fails for a while', async () => {
    const watchdog = await startWebhookReceiver((n) => ({ status: n < 2 ? 503 : 200 }));
    heartbeat = new Heartbeat({
      url: watchdog.url,
      intervalMs: 50,
      healthy: async () => true,
      auditHead: () => null,
      logger: pino({ level: 'silent' }),
    });
    heartbeat.start();
    await until(
      () => watchdog.received.filter((r) => r.status === 200).length,
      (n) => n >= 1,
    );
    expect(watchdog.received.slice(0, 2).map((r) => r.status)).toEqual([503, 503]);
    heartbeat.stop();
    await watchdog.close();
  });
});

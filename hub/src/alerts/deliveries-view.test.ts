import type { AlertDetail } from '@mimamori/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../testing/test-core.js';
import { createVolunteers, provisionDevice } from '../testing/test-hub.js';
import { until } from '../testing/until.js';

describe('an alert’s deliveries', () => {
  let ctx: TestCore | undefined;
  afterEach(async () => {
    await ctx?.stop();
    ctx = undefined;
  });

  it('are shown to staff with each attempt’s last error, and not to volunteers', async () => {
    ctx = await startTestCore();
    const api = await ctx.client();
    const button = ctx.device(await provisionDevice(api, { homeId: 'home-1', deviceId: 'btn-1' }));
    const [tanaka] = await createVolunteers(api, ['tanaka']);
    await api('PUT', '/api/homes/home-1/network', {
      tiers: [{ name: '近隣', watchers: [tanaka], ackTimeoutMinutes: 15 }],
      reason: 'test',
    });
    const volunteer = await ctx.client({ username: 'tanaka', password: 'tanaka-password' });
    // A browser whose push service cannot be reached: every attempt fails and is retried.
    await volunteer('POST', '/api/me/push-subscriptions', {
      endpoint: 'http://127.0.0.1:9/push/tanaka',
      keys: {
        p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
        auth: 'tBHItJI5svbpez7KI4CCXg',
      },
    });
    await button.publish({ type: 'sos', via: 'button' });
    const { items } = (await api('GET', '/api/alerts')).body as { items: { id: string }[] };
    const alertId = items[0]?.id ?? '';

    const seen = await until(
      async () => (await api('GET', `/api/alerts/${alertId}`)).body as AlertDetail,
      (detail) => (detail.deliveries?.[0]?.attempts ?? 0) > 0,
    );
    expect(seen.deliveries).toEqual([
      {
        channel: 'push',
        recipient: 'tanaka',
        to: null,
        status: 'pending',
        attempts: 1,
        lastError: expect.stringMatching(/./) as unknown,
        nextAttemptAt: expect.any(String) as unknown,
        deliveredAt: null,
      },
    ]);
    const asVolunteer = (await volunteer('GET', `/api/alerts/${alertId}`)).body as AlertDetail;
    expect(asVolunteer.id).toBe(alertId);
    expect(asVolunteer).not.toHaveProperty('deliveries');
  });
});

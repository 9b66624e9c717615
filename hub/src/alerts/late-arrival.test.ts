import type { AlertDetail } from '@mimamori/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../testing/test-core.js';
import { createVolunteers, provisionDevice } from '../testing/test-hub.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 2026-11-23 09:00 in Tokyo, when the button was registered. */
const REGISTERED = Date.parse('2026-11-23T09:00:00+09:00');

describe('an SOS that arrives late', () => {
  let ctx: TestCore | undefined;
  afterEach(async () => {
    await ctx?.stop();
    ctx = undefined;
  });

  async function homeWithButton() {
    const started = await startTestCore({ now: REGISTERED });
    ctx = started;
    const api = await started.client();
    const button = started.device(await provisionDevice(api, { homeId: 'home-1', deviceId: 'btn-1' }));
    const [tanaka] = await createVolunteers(api, ['tanaka']);
    await api('PUT', '/api/homes/home-1/network', {
      tiers: [{ name: '近隣', watchers: [tanaka], ackTimeoutMinutes: 15 }],
      reason: 'test',
    });
    /** The alert opened, as staff see it (logged in afresh: days pass on the clock). */
    const openedAlert = async () => {
      const staff = await started.client();
      const { items } = (await staff('GET', '/api/alerts')).body as { items: { id: string }[] };
      return (await staff('GET', `/api/alerts/${items[0]?.id ?? ''}`)).body as AlertDetail;
    };
    return { ctx: started, button, openedAlert };
  }

  it('still pages the network, saying when the button was pressed and that it arrived late', async () => {
    const { ctx, button, openedAlert } = await homeWithButton();
    ctx.clock.advance(5 * DAY);
    const pressed = ctx.clock.now() - 3 * HOUR;
    await button.publish({ type: 'sos', via: 'button', ts: pressed });
    const alert = await openedAlert();
    expect(alert).toMatchObject({
      severity: 'critical',
      lateReport: false,
      occurredAt: new Date(pressed).toISOString(),
    });
    expect(alert.message.ja).toContain('※3時間前（11月28日 06:00）のことで、届くのが遅れました。');
    expect(alert.deliveries?.length).toBe(0); // tanaka has no address yet: told nowhere, but in the audience
    expect(alert.timeline[0]).toMatchObject({ kind: 'opened', detail: { tiers: [0], lateReport: false } });
  });

  it('days after the press, goes to staff as a late report instead of paging anyone', async () => {
    const { ctx, button, openedAlert } = await homeWithButton();
    ctx.clock.advance(5 * DAY);
    const pressed = ctx.clock.now() - 3 * DAY;
    await button.publish({ type: 'sos', via: 'button', ts: pressed });
    const alert = await openedAlert();
    expect(alert).toMatchObject({ lateReport: true, occurredAt: new Date(pressed).toISOString(), status: 'open' });
    expect(alert.message.ja).toContain('※3日前（11月25日 09:00）のことで、届くのが遅れました。');
    expect(alert.timeline[0]).toMatchObject({ kind: 'opened', detail: { lateReport: true } });
    expect(alert.timeline[0]?.detail).not.toHaveProperty('tiers');
  });

  it('is refused when stamped before the button was registered', async () => {
    const { ctx, button } = await homeWithButton();
    expect(await button.publish({ type: 'sos', via: 'button', ts: REGISTERED - 10 * DAY })).toBe('rejected');
    expect(await button.publish({ type: 'sos', via: 'button', ts: 0 })).toBe('rejected');
    const metrics = await ctx.metrics.registry.getSingleMetricAsString('mimamori_mqtt_messages_rejected_total');
    expect(metrics).toContain('reason="before_registration"} 2');
  });
});

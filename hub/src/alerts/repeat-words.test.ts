import type { AlertDetail } from '@mimamori/contract';
import { afterEach, describe, expect, it } from 'vitest';
import type { RaiseAlert } from '../ports/index.js';
import { startTestCore, type TestCore } from '../testing/test-core.js';
import { createVolunteers, provisionDevice, putTwoTierNetwork } from '../testing/test-hub.js';

const MINUTE = 60_000;
/** Monday 2026-11-23 10:00 in Tokyo. */
const MORNING = Date.parse('2026-11-23T10:00:00+09:00');

describe('a repeat firing that says something new', () => {
  let ctx: TestCore | undefined;
  afterEach(async () => {
    await ctx?.stop();
    ctx = undefined;
  });

  it('takes the new words (a second device offline) without telling anyone again; a late repeat keeps them', async () => {
    ctx = await startTestCore({ now: MORNING });
    const started = ctx;
    const api = await started.client();
    await provisionDevice(api, { homeId: 'home-1', deviceId: 'pir-1' });
    const [neighbour, council] = await createVolunteers(api, ['tanaka', 'suzuki']);
    expect((await putTwoTierNetwork(api, 'home-1', [neighbour ?? '', council ?? ''], 'test')).status).toBe(200);
    const raise = (ids: string, occurredAt?: number) => {
      const decision: RaiseAlert = {
        kind: 'raise',
        homeId: 'home-1',
        residentId: undefined,
        rule: 'device.offline',
        severity: 'warning',
        message: { ja: `機器が応答しません（${ids}）`, en: `Device not responding (${ids})` },
        sourceEventSeq: undefined,
        occurredAt,
        incident: 'joins',
      };
      return started.core.alerts.raise(decision, started.clock.now()).alert;
    };
    const told = () => (started.stores.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;

    const first = raise('pir-1');
    const toldAtOpen = told();
    started.clock.advance(5 * MINUTE);
    const second = raise('pir-1, door-1');
    expect(second).toMatchObject({
      id: first.id,
      fireCount: 2,
      message: { ja: '機器が応答しません（pir-1, door-1）' },
    });
    expect(told()).toBe(toldAtOpen);
    const detail = (await api('GET', `/api/alerts/${first.id}`)).body as AlertDetail;
    expect(detail.timeline.filter((e) => e.kind === 'refired').map((e) => e.detail)).toMatchObject([
      { message: { en: 'Device not responding (pir-1, door-1)' } },
    ]);

    // The same words again: counted.
    expect(raise('pir-1, door-1').fireCount).toBe(3);
    // A repeat whose cause was hours ago does not reword an alert about now.
    const late = raise('env-1', started.clock.now() - 3 * 60 * MINUTE);
    expect(late).toMatchObject({ fireCount: 4, message: { ja: '機器が応答しません（pir-1, door-1）' } });
  });
});

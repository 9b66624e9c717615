import { afterEach, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../testing/test-core.js';
import { provisionDevice } from '../testing/test-hub.js';

describe('rule state written by an older hub', () => {
  let ctx: TestCore | undefined;
  afterEach(async () => {
    await ctx?.stop();
    ctx = undefined;
  });

  it('is dropped, counted, and replaced by the rule starting afresh for the home', async () => {
    ctx = await startTestCore({ now: Date.parse('2026-11-23T10:00:00+09:00') });
    const api = await ctx.client();
    const motion = ctx.device(await provisionDevice(api, { homeId: 'home-1', deviceId: 'm1', kind: 'motion' }));
    // An inactivity state of a shape this hub never wrote (renamed and retyped fields), in the file.
    ctx.stores.db
      .prepare("INSERT INTO rule_state (rule_id, home_id, state, wake_at) VALUES ('inactivity', 'home-1', ?, NULL)")
      .run(JSON.stringify({ lastMovement: '10:00', firing: 'no' }));

    await motion.publish({ type: 'motion', occupied: true, room: 'living' });

    expect(ctx.stores.ruleStates.get('inactivity', 'home-1')?.state).toEqual({
      lastActivityAt: ctx.clock.now(),
      lastSensorAt: ctx.clock.now(),
      firing: false,
    });
    const metrics = await ctx.metrics.registry.getSingleMetricAsString('mimamori_rule_states_dropped_total');
    expect(metrics).toContain('mimamori_rule_states_dropped_total{rule="inactivity"} 1');
  });
});

import type { DeviceEventBody } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import type { DeviceRole } from '../home-spec.js';
import { SCENARIOS, SCENARIO_NAMES, type ScenarioContext } from './index.js';
import { SOS_AFTER_MS } from './sos.js';

/** Runs a scenario against fake homes, collecting what it schedules and publishes. */
function play(name: keyof typeof SCENARIOS, homeCount: number) {
  const published: { homeId: string; role: DeviceRole; body: DeviceEventBody; at: number }[] = [];
  const scheduled: { at: number; action: () => void }[] = [];
  let now = 0;
  const context: ScenarioContext = {
    homes: Array.from({ length: homeCount }, (_, i) => ({
      homeId: `h${i + 1}`,
      residentId: `h${i + 1}-r1`,
      residentName: '佐藤 ハナ',
      publish: (role: DeviceRole, body: DeviceEventBody) =>
        void published.push({ homeId: `h${i + 1}`, role, body, at: now }),
    })),
    after: (delayMs, action) => void scheduled.push({ at: now + delayMs, action }),
    log: { info: () => {}, error: () => {} },
  };
  SCENARIOS[name].start(context);
  for (const { at, action } of scheduled.sort((a, b) => a.at - b.at)) {
    now = at;
    action();
  }
  return published;
}

describe('scenario registry', () => {
  it('lists every scenario by its --scenario name, each with a description', () => {
    expect(SCENARIO_NAMES).toEqual(['normal', 'sos']);
    for (const name of SCENARIO_NAMES) expect(SCENARIOS[name].description).not.toBe('');
  });

  it('normal adds nothing to the routines', () => {
    expect(play('normal', 3)).toEqual([]);
  });

  it('sos presses the first home’s SOS button once, 10 simulated seconds after start', () => {
    expect(play('sos', 3)).toEqual([
      { homeId: 'h1', role: 'sos', body: { type: 'sos', via: 'button', residentId: 'h1-r1' }, at: SOS_AFTER_MS },
    ]);
    expect(SOS_AFTER_MS).toBe(10_000);
    expect(play('sos', 0)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { HOUR, jst } from '../testing/rule-fixtures.js';
import { emptyDay, type DaySummary } from './day-summary.js';
import { learnFromWorkingSensors } from './working-sensors.js';

/**
 * Four weeks of a home whose bedroom sensor saw the resident get up at 07:40 (220 min after
 * 04:00) and whose living-room sensor saw them from 08:30. The bedroom sensor reports changes
 * only; its longest silence at home was a day, so it is presumed dead after three.
 */
const days = (withBedroom: boolean): DaySummary[] =>
  Array.from({ length: 28 }, (_, i) => ({
    ...emptyDay(`2026-10-${String(i + 1).padStart(2, '0')}`),
    upAt: withBedroom ? 220 : 270,
    count: withBedroom ? 100 : 60,
    devices: {
      ...(withBedroom && { bedroom: { longestGap: 1440, longestHomeGap: 1440, heartbeats: 0, activity: 40 } }),
      living: { longestGap: 600, longestHomeGap: 600, heartbeats: 0, activity: 60 },
    },
  }));
const dayStart = jst('2026-10-29 04:00');
const withoutBedroom = (devices: DaySummary['devices']) =>
  Object.fromEntries(Object.entries(devices).filter(([id]) => id !== 'bedroom'));
const history = (bedroomHeardAgo: number) => ({
  days: (without: ReadonlySet<string>) => days(!without.has('bedroom')),
  lastHeard: (id: string) => (id === 'bedroom' ? dayStart - bedroomHeardAgo : dayStart - HOUR),
});

describe('learnFromWorkingSensors', () => {
  it('learns from every sensor while each still speaks', () => {
    const learned = learnFromWorkingSensors(history(71 * HOUR), ['bedroom', 'living'], dayStart);
    expect(learned.wake?.median).toBe(220);
    expect(learned.without).toEqual({});
  });

  it('learns without a sensor silent past its own limit: the home as the sensors still working see it', () => {
    const learned = learnFromWorkingSensors(history(73 * HOUR), ['bedroom', 'living'], dayStart);
    expect(learned.wake?.median).toBe(270);
    expect(learned.dailyActivity).toBe(60);
    // Its share of the home's signals while it worked, and its last message.
    expect(learned.without).toEqual({ bedroom: { share: 0.4, lastHeard: dayStart - 73 * HOUR } });
    // What was learned of the dead sensor stays, for device.offline to judge it by.
    expect(learned.devices['bedroom']).toMatchObject({ usualHomeGap: 1440, days: 28 });
  });

  it('judges only the activity sensors it is given', () => {
    expect(learnFromWorkingSensors(history(73 * HOUR), ['living'], dayStart).without).toEqual({});
  });

  it('keeps a sensor left out while it stays silent, after its last message is older than the days read', () => {
    const leftOut = learnFromWorkingSensors(history(73 * HOUR), ['bedroom', 'living'], dayStart);
    // Four weeks on, the days read no longer hold the bedroom sensor at all.
    const monthOn = {
      days: () => days(false),
      lastHeard: (id: string) => (id === 'living' ? dayStart - HOUR : undefined),
    };
    const later = learnFromWorkingSensors(monthOn, ['bedroom', 'living'], dayStart, () => leftOut);
    expect(later.without).toEqual(leftOut.without);
    // device.offline knows of it what the days read say: nothing any more, as without a baseline left out.
    expect(later.devices['bedroom']).toBeUndefined();
    // Heard again, it is learned with (the days read say what it sees now).
    const mended = { ...monthOn, lastHeard: () => dayStart - HOUR };
    expect(learnFromWorkingSensors(mended, ['bedroom', 'living'], dayStart, () => leftOut).without).toEqual({});
  });

  it('keeps the share a sensor had when first left out, while the days read fill with its silence', () => {
    const leftOut = learnFromWorkingSensors(history(73 * HOUR), ['bedroom', 'living'], dayStart);
    // Three weeks on, the bedroom sensor's activity is in a quarter of the days read.
    const weeksOn = {
      days: (without: ReadonlySet<string>) =>
        days(!without.has('bedroom')).map((d, i) => (i < 7 ? d : { ...d, devices: withoutBedroom(d.devices) })),
      lastHeard: (id: string) => (id === 'bedroom' ? dayStart - 73 * HOUR : dayStart - HOUR),
    };
    const later = learnFromWorkingSensors(weeksOn, ['bedroom', 'living'], dayStart, () => leftOut);
    expect(later.without['bedroom']?.share).toBe(0.4);
    // Without that earlier baseline (a backtest's first day), what the days read say.
    expect(learnFromWorkingSensors(weeksOn, ['bedroom', 'living'], dayStart).without['bedroom']?.share).toBeLessThan(
      0.2,
    );
  });
});

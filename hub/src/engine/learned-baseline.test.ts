import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE, baselineOf, home, jst } from '../testing/rule-fixtures.js';
import { learnedBaseline, unseenShare } from './learned-baseline.js';

/**
 * Four weeks of an open-plan home: the motion sensor checked in hourly (longest gap 70 min) and
 * saw most of the resident (90 signals a day); the door, used daily (4 a day), was silent at
 * most 20 h while the resident was home; the power meter saw 6 a day; the speaker spoke every
 * few minutes.
 */
const baseline = baselineOf(28, () => ({
  devices: {
    'motion-1': { longestGap: 70, longestHomeGap: 70, heartbeats: 24, activity: 90 },
    'door-1': { longestGap: 30 * 60, longestHomeGap: 20 * 60, heartbeats: 0, activity: 4 },
    'power-1': { longestGap: 15, longestHomeGap: 15, heartbeats: 0, activity: 6 },
    'speaker-1': { longestGap: 5, longestHomeGap: 5, heartbeats: 288, activity: 0 },
  },
}));
const now = jst('2026-11-23 12:00');
/** The home at noon, each device last heard the given time before. */
const heard = (ago: Record<string, number>) => {
  const base = home();
  const sensorSeenAt = Object.fromEntries(Object.entries(ago).map(([id, ms]) => [id, now - ms]));
  return home({ baseline, presence: { ...base.presence, sensorSeenAt } });
};

describe('learnedBaseline', () => {
  it('is the home’s baseline while every sensor it knows still speaks', () => {
    expect(learnedBaseline(heard({ 'motion-1': 30 * MINUTE, 'door-1': 10 * HOUR }), 14, now)).toBe(baseline);
  });

  it('is none until the baseline has the days the rule asks for', () => {
    expect(learnedBaseline(heard({ 'motion-1': 30 * MINUTE }), 29, now)).toBeUndefined();
  });

  it('is none while a sensor that checks in has been silent past twice its usual longest gap, and back once heard', () => {
    expect(learnedBaseline(heard({ 'motion-1': 139 * MINUTE }), 14, now)).toBe(baseline);
    expect(learnedBaseline(heard({ 'motion-1': 141 * MINUTE }), 14, now)).toBeUndefined();
  });

  it('stays while the dead sensors saw less than half of the home: the door, a room of several', () => {
    // The door reports only changes: past three times its usual silence at home, it is presumed dead.
    expect(baseline.devices['door-1']?.share).toBeCloseTo(0.04);
    expect(learnedBaseline(heard({ 'door-1': 61 * HOUR }), 14, now)).toBe(baseline);
  });

  it('is none while sensors that together saw half of the home are presumed dead', () => {
    const rooms = baselineOf(28, () => ({
      devices: {
        'motion-1': { longestGap: 70, longestHomeGap: 70, heartbeats: 24, activity: 45 },
        'door-1': { longestGap: 30 * 60, longestHomeGap: 20 * 60, heartbeats: 0, activity: 5 },
        'power-1': { longestGap: 15, longestHomeGap: 15, heartbeats: 0, activity: 50 },
      },
    }));
    const base = home();
    const at = (ago: Record<string, number>) =>
      home({
        baseline: rooms,
        presence: {
          ...base.presence,
          sensorSeenAt: Object.fromEntries(Object.entries(ago).map(([id, ms]) => [id, now - ms])),
        },
      });
    expect(learnedBaseline(at({ 'motion-1': 3 * HOUR, 'door-1': 59 * HOUR }), 14, now)).toBe(rooms);
    expect(learnedBaseline(at({ 'motion-1': 3 * HOUR, 'door-1': 61 * HOUR }), 14, now)).toBeUndefined();
  });

  it('does not judge devices that do not watch activity, nor sensors not heard since the hub began watching', () => {
    // The speaker is a day silent, the motion sensor unheard since the hub (re)started watching.
    expect(learnedBaseline(heard({ 'speaker-1': 24 * HOUR }), 14, now)).toBe(baseline);
  });

  it('does not judge a sensor the baseline does not know well: a storage room seen on three days of 28', () => {
    const rare = baselineOf(28, (i) => ({
      devices: i < 3 ? { 'motion-1': { longestGap: 60, longestHomeGap: 60, heartbeats: 0, activity: 50 } } : {},
    }));
    const base = home();
    const silentForDays = home({
      baseline: rare,
      presence: { ...base.presence, sensorSeenAt: { 'motion-1': now - 20 * 24 * HOUR } },
    });
    expect(learnedBaseline(silentForDays, 14, now)).toBe(rare);
  });

  it('says what share of the home’s signals the presumed-dead sensors gave, and none while all speak', () => {
    expect(unseenShare(baseline, heard({ 'motion-1': 30 * MINUTE, 'door-1': 61 * HOUR }), now)).toBeCloseTo(0.04);
    expect(unseenShare(baseline, heard({ 'motion-1': 30 * MINUTE, 'door-1': 10 * HOUR }), now)).toBe(0);
  });

  describe('a baseline learned without a dead sensor (working-sensors.ts)', () => {
    // Left out when last heard 61 h (the door) or 20 h (the motion sensor) before noon.
    const withoutDoor = { ...baseline, without: { 'door-1': { share: 0.04, lastHeard: now - 61 * HOUR } } };
    const withoutMotion = { ...baseline, without: { 'motion-1': { share: 0.9, lastHeard: now - 20 * HOUR } } };
    const at = (learned: typeof baseline, ago: Record<string, number>) => ({ ...heard(ago), baseline: learned });

    it('judges by it while that sensor stays silent: its share is already left out', () => {
      expect(learnedBaseline(at(withoutDoor, { 'motion-1': 30 * MINUTE, 'door-1': 61 * HOUR }), 14, now)).toBe(
        withoutDoor,
      );
      expect(unseenShare(withoutDoor, at(withoutDoor, { 'door-1': 61 * HOUR }), now)).toBe(0);
    });

    it('steps back once that sensor is heard again, until the baseline is learned with it', () => {
      expect(learnedBaseline(at(withoutDoor, { 'motion-1': 30 * MINUTE, 'door-1': 5 * MINUTE }), 14, now)).toBe(
        undefined,
      );
    });

    it('steps back while the sensors it was learned without saw most of the home: what is left sees too little', () => {
      expect(learnedBaseline(at(withoutMotion, { 'motion-1': 20 * HOUR, 'door-1': 10 * HOUR }), 14, now)).toBe(
        undefined,
      );
    });
  });
});

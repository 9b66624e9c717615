import { deviceEvent, type DeviceEventBody } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import { describeHome } from './home-spec.js';
import { DAY_MS, jstDayStart, toJstIso } from './jst.js';
import { deriveSeed, mulberry32 } from './rng.js';
import { PIR_CLEAR_MS, pirEvents, planDay, type DayPlan } from './routine.js';

const DAY = jstDayStart(Date.parse('2026-11-22T12:00:00+09:00'));
const MINUTE = 60_000;

const plan = (seed: number, home = 0, day = DAY): DayPlan =>
  planDay(describeHome(seed, home).persona, day, mulberry32(deriveSeed(seed, home, day)));

/** Many different residents and days, to check invariants rather than one lucky case. */
const samples = Array.from({ length: 60 }, (_, i) => plan(i % 6, i, DAY + (i % 5) * DAY_MS));

const motions = (day: DayPlan) =>
  day.events.flatMap((p) => (p.event.type === 'motion' ? [{ at: p.at, occupied: p.event.occupied }] : []));
const ofType = <T extends DeviceEventBody['type']>(day: DayPlan, type: T) =>
  day.events.filter((p) => p.event.type === type);

describe('daily routine', () => {
  it('gives the same day for the same seed, and a different one for another seed or day', () => {
    expect(plan(1)).toEqual(plan(1));
    expect(plan(1)).not.toEqual(plan(2));
    expect(plan(1, 0, DAY)).not.toEqual(plan(1, 0, DAY + DAY_MS));
  });

  it('plans only events that pass the contract, in time order, within the day', () => {
    for (const day of samples) {
      day.events.forEach(({ event, at }, i) => {
        const parsed = deviceEvent.safeParse({ ...event, id: `e${i}`, ts: toJstIso(at) });
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
        if (i > 0) expect(at).toBeGreaterThanOrEqual(day.events[i - 1]?.at ?? Infinity);
      });
      const dayStart = jstDayStart(day.wakeAt);
      expect(day.events[0]?.at).toBe(dayStart);
      expect(day.events.at(-1)?.at).toBeLessThan(dayStart + DAY_MS);
    }
  });

  it('wakes between about 5:40 and 8:20 and goes to bed hours later', () => {
    for (const day of samples) {
      const dayStart = jstDayStart(day.wakeAt);
      expect(day.wakeAt - dayStart).toBeGreaterThanOrEqual(5.6 * 60 * MINUTE);
      expect(day.wakeAt - dayStart).toBeLessThanOrEqual(8.4 * 60 * MINUTE);
      expect(day.bedAt - day.wakeAt).toBeGreaterThan(12 * 60 * MINUTE);
    }
  });

  it('moves only while awake at home, apart from night-time trips, and each PIR clears 90 s or more after it triggered', () => {
    for (const day of samples) {
      const pir = motions(day);
      pir.forEach((event, i) => expect(event.occupied).toBe(i % 2 === 0));
      for (let i = 0; i < pir.length; i += 2) {
        const [occupied, cleared] = [pir[i], pir[i + 1]];
        expect(cleared).toBeDefined();
        expect((cleared?.at ?? 0) - (occupied?.at ?? 0)).toBeGreaterThanOrEqual(PIR_CLEAR_MS);
        const at = occupied?.at ?? 0;
        if (!day.nightTrips.includes(at)) {
          expect(at).toBeGreaterThanOrEqual(day.wakeAt);
          expect(at).toBeLessThan(day.bedAt);
        }
      }
      for (const { from, until } of day.outings) {
        expect(pir.filter((m) => m.at > from && m.at < until)).toEqual([]);
      }
    }
  });

  it('opens and closes the entrance door when going out and coming back', () => {
    const withOuting = samples.filter((day) => day.outings.length > 0);
    expect(withOuting.length).toBeGreaterThan(5);
    for (const day of withOuting) {
      const doors = ofType(day, 'door').map((p) => p.event);
      expect(doors.map((e) => (e.type === 'door' ? e.open : undefined))).toEqual([true, false, true, false]);
      expect(day.outings[0]?.from).toBeGreaterThan(day.wakeAt);
    }
    for (const day of samples.filter((d) => d.outings.length === 0)) expect(ofType(day, 'door')).toEqual([]);
  });

  it('reports the indoor climate every 10 minutes, warmer in the afternoon than before dawn', () => {
    for (const day of samples) {
      const readings = ofType(day, 'environment');
      expect(readings).toHaveLength(144);
      const temperatureAt = (hour: number) => {
        const event = readings[hour * 6]?.event;
        return event?.type === 'environment' ? (event.temperatureC ?? NaN) : NaN;
      };
      expect(temperatureAt(14)).toBeGreaterThan(temperatureAt(3));
    }
  });

  it('uses more power when cooking than at night', () => {
    for (const day of samples) {
      const watts = ofType(day, 'power').map((p) => (p.event.type === 'power' ? p.event.watts : 0));
      expect(Math.max(...watts)).toBeGreaterThanOrEqual(900);
      expect(Math.min(...watts)).toBeLessThan(120);
    }
  });

  it('says a voluntary "おはよう" on some mornings only, after waking and without a prompt', () => {
    const checkins = samples.flatMap((day) => ofType(day, 'checkin').map((p) => ({ ...p, wakeAt: day.wakeAt })));
    expect(checkins.length).toBeGreaterThan(0);
    expect(checkins.length).toBeLessThan(samples.length);
    for (const { at, wakeAt, event } of checkins) {
      expect(at).toBeGreaterThan(wakeAt);
      expect(event).toMatchObject({ type: 'checkin', answer: 'fine', via: 'voice' });
      expect(event).not.toHaveProperty('promptId');
    }
  });
});

describe('PIR occupancy', () => {
  it.each([
    { movements: [], expected: [] },
    {
      movements: [0],
      expected: [
        [0, true],
        [90_000, false],
      ],
    },
    // A movement before the sensor clears re-arms it: one occupancy, cleared 90 s after the last movement.
    {
      movements: [0, 60_000, 100_000],
      expected: [
        [0, true],
        [190_000, false],
      ],
    },
    {
      movements: [200_000, 0],
      expected: [
        [0, true],
        [90_000, false],
        [200_000, true],
        [290_000, false],
      ],
    },
  ])('turns movements $movements into occupied/clear events', ({ movements, expected }) => {
    expect(pirEvents(movements).map((p) => [p.at, p.event.type === 'motion' && p.event.occupied])).toEqual(expected);
  });
});

import { deviceEvent, type DeviceEventBody } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import { describeHome } from './home-spec.js';
import { DAY_MS, jstDayStart, toJstIso } from './jst.js';
import { deriveSeed, mulberry32 } from './rng.js';
import { PIR_CLEAR_MS, perRoom } from './rooms.js';
import { planDay, type DayPlan } from './routine.js';

const DAY = jstDayStart(Date.parse('2026-11-22T12:00:00+09:00'));
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const EVERY_ROOM = perRoom(['bedroom', 'living', 'kitchen', 'toilet', 'bathroom', 'closet']);
const plan = (seed: number, home = 0, day = DAY, coverage = EVERY_ROOM): DayPlan =>
  planDay(describeHome(seed, home).persona, day, mulberry32(deriveSeed(seed, home, day)), coverage);

/** Many different residents and days, to check invariants rather than one lucky case. */
const samples = Array.from({ length: 60 }, (_, i) => ({
  persona: describeHome(i % 6, i).persona,
  day: plan(i % 6, i, DAY + (i % 5) * DAY_MS),
}));

const motions = (day: DayPlan) =>
  day.events.flatMap((p) =>
    p.event.type === 'motion' ? [{ at: p.at, room: p.event.room, occupied: p.event.occupied }] : [],
  );
const ofType = <T extends DeviceEventBody['type']>(day: DayPlan, type: T) =>
  day.events.filter((p) => p.event.type === type);
const inside = (t: number, spans: readonly { from: number; until: number }[]) =>
  spans.some((s) => t >= s.from && t < s.until);

describe('daily routine', () => {
  it('gives the same day for the same seed, and a different one for another seed or day', () => {
    expect(plan(1)).toEqual(plan(1));
    expect(plan(1)).not.toEqual(plan(2));
    expect(plan(1, 0, DAY)).not.toEqual(plan(1, 0, DAY + DAY_MS));
  });

  it('plans only events that pass the contract, in time order, within the day', () => {
    for (const { day } of samples) {
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

  it('gets up within 20 min of the usual time, or on a late morning 1½–3 h later, and goes to bed hours later', () => {
    for (const { persona, day } of samples) {
      const late = (day.wakeAt - jstDayStart(day.wakeAt) - persona.wakeAt) / MINUTE;
      expect(Math.abs(late) <= 20 || (late >= 70 && late <= 200), `${late} min`).toBe(true);
      expect(day.bedAt - day.wakeAt).toBeGreaterThan(9 * HOUR);
    }
  });

  it('moves only while up and at home, apart from trips to the toilet at night; each PIR clears 90 s or more after it triggered', () => {
    for (const { day } of samples) {
      for (const m of day.movements) {
        const onTrip = day.nightTrips.some((t) => m.at >= t && m.at <= t + 7 * MINUTE);
        const out = day.outings.some((o) => m.at > o.from && m.at < o.until);
        expect(onTrip || (m.at >= day.wakeAt && m.at <= day.bedAt && !out)).toBe(true);
      }
      for (const room of new Set(motions(day).map((m) => m.room))) {
        const pir = motions(day).filter((m) => m.room === room);
        pir.forEach((event, i) => expect(event.occupied).toBe(i % 2 === 0));
        for (let i = 0; i < pir.length; i += 2)
          expect((pir[i + 1]?.at ?? 0) - (pir[i]?.at ?? 0)).toBeGreaterThanOrEqual(PIR_CLEAR_MS);
      }
    }
  });

  it('goes to the toilet at night about as often as the resident’s nocturia says', () => {
    const persona = { ...describeHome(1, 0).persona, nightVoidsPerNight: 2.5 };
    const trips = Array.from({ length: 200 }, (_, d) => {
      const day = DAY + d * DAY_MS;
      return planDay(persona, day, mulberry32(deriveSeed(1, 0, day))).nightTrips.length;
    });
    // Each day holds the after-midnight part of one night and the before-midnight part of the next.
    const perNight = trips.reduce((a, b) => a + b, 0) / trips.length;
    expect(perNight).toBeGreaterThan(2.1);
    expect(perNight).toBeLessThan(2.9);
  });

  it('sits still in front of the TV: the meter shows the TV, the living-room sensor sees the viewer only now and then', () => {
    const longest = samples.map(({ persona, day }) => {
      for (const tv of day.appliances.filter((a) => a.what === 'tv')) expect(tv.watts).toBe(persona.tvWatts);
      const seen = day.movements.filter((m) => inside(m.at, day.stillTimes)).map((m) => m.at);
      return Math.max(0, ...seen.slice(1).map((t, i) => t - (seen[i] ?? t)));
    });
    expect(Math.max(...longest)).toBeGreaterThan(90 * MINUTE);
  });

  it('sees with one open-plan sensor only the living room, kitchen and hall, all reported as the living room', () => {
    const openPlan = plan(3, 1, DAY, { living: 'living', kitchen: 'living', entrance: 'living' });
    expect(new Set(motions(openPlan).map((m) => m.room))).toEqual(new Set(['living']));
    const everyRoom = plan(3, 1);
    expect(new Set(motions(everyRoom).map((m) => m.room))).toEqual(new Set(everyRoom.movements.map((m) => m.room)));
  });

  it('opens and closes the entrance door when going out and coming back', () => {
    const withOuting = samples.filter(({ day }) => day.outings.length > 0);
    expect(withOuting.length).toBeGreaterThan(5);
    for (const { day } of withOuting) {
      const doors = ofType(day, 'door').map((p) => p.event);
      expect(doors.map((e) => (e.type === 'door' ? e.open : undefined))).toEqual([true, false, true, false]);
      expect(day.outings[0]?.from).toBeGreaterThan(day.wakeAt);
    }
    for (const { day } of samples.filter(({ day }) => day.outings.length === 0))
      expect(ofType(day, 'door')).toEqual([]);
  });

  it('reports the indoor climate every 10 minutes, warmer in the afternoon than before dawn', () => {
    for (const { day } of samples) {
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
    for (const { day } of samples) {
      const watts = ofType(day, 'power').map((p) => (p.event.type === 'power' ? p.event.watts : 0));
      expect(Math.max(...watts)).toBeGreaterThanOrEqual(850);
      expect(Math.min(...watts)).toBeLessThan(120);
    }
  });

  it('says a voluntary "おはよう" on some mornings only, after waking and without a prompt', () => {
    const checkins = samples.flatMap(({ day }) => ofType(day, 'checkin').map((p) => ({ ...p, wakeAt: day.wakeAt })));
    expect(checkins.length).toBeGreaterThan(0);
    expect(checkins.length).toBeLessThan(samples.length);
    for (const { at, wakeAt, event } of checkins) {
      expect(at).toBeGreaterThan(wakeAt);
      expect(event).toMatchObject({ type: 'checkin', answer: 'fine', via: 'voice' });
      expect(event).not.toHaveProperty('promptId');
    }
  });
});

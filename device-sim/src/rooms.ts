import type { DeviceEventBody } from '@mimamori/contract';

const SECOND = 1000;

/** A PIR sensor clears occupancy by itself ~90 s after the last movement (PROTOCOL.md, motion). */
export const PIR_CLEAR_MS = 90 * SECOND;

/**
 * The rooms of a small flat or house of one older person (1DK–2LDK): where the day happens.
 * `closet` is a storage room (納戸, 押入れ) entered a few times a week; `entrance` is the 玄関.
 */
export const ROOMS = ['bedroom', 'living', 'kitchen', 'toilet', 'bathroom', 'entrance', 'closet'] as const;
export type Room = (typeof ROOMS)[number];

/** Someone (or something warm) moves in a room at `at`: what a PIR there could see. */
export interface Movement {
  at: number;
  room: Room;
}

/** Which motion sensor, named by its room, sees movement in each room; a room left out is seen by none. */
export type Coverage = Readonly<Partial<Record<Room, Room>>>;

/**
 * One sensor in an open-plan living room that also sees the kitchen and the hall to the door:
 * the home the live simulator and the municipal one-sensor services have. Bedroom, toilet and
 * bath are out of its sight.
 */
export const OPEN_PLAN: Coverage = { living: 'living', kitchen: 'living', entrance: 'living' };

/** A sensor in each of these rooms, each seeing its own room only (the public smart-home studies' layout). */
export const perRoom = (rooms: readonly Room[]): Coverage => Object.fromEntries(rooms.map((r) => [r, r]));

/** A motion event as a home's sensor in `room` reports it. */
export interface MotionReport {
  at: number;
  event: Extract<DeviceEventBody, { type: 'motion' }>;
}

/**
 * What the home's PIRs report for these movements: each sensor reports `occupied: true` at the
 * first movement it sees and `occupied: false` 90 s after the last one of a burst (a movement
 * before it clears re-arms it). Movements in rooms no sensor covers go unseen.
 */
export function pirEvents(movements: readonly Movement[], coverage: Coverage): MotionReport[] {
  const bySensor = new Map<Room, number[]>();
  for (const { at, room } of movements) {
    const sensor = coverage[room];
    if (!sensor) continue;
    const times = bySensor.get(sensor);
    if (times) times.push(at);
    else bySensor.set(sensor, [at]);
  }
  const reports: MotionReport[] = [];
  for (const [room, times] of bySensor) {
    let clearAt = -Infinity;
    for (const t of times.sort((a, b) => a - b)) {
      if (t >= clearAt) {
        if (clearAt !== -Infinity) reports.push(pir(clearAt, room, false));
        reports.push(pir(t, room, true));
      }
      clearAt = t + PIR_CLEAR_MS;
    }
    if (clearAt !== -Infinity) reports.push(pir(clearAt, room, false));
  }
  return reports.sort((a, b) => a.at - b.at);
}

const pir = (at: number, room: Room, occupied: boolean): MotionReport => ({
  at,
  event: { type: 'motion', room, occupied },
});

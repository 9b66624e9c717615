import { describe, expect, it } from 'vitest';
import { OPEN_PLAN, perRoom, pirEvents, type Movement } from './rooms.js';

const living = (...times: number[]): Movement[] => times.map((at) => ({ at, room: 'living' }));
const reported = (movements: Movement[], coverage = perRoom(['living', 'toilet'])) =>
  pirEvents(movements, coverage).map((r) => [r.at, r.event.room, r.event.occupied]);

describe('PIR occupancy', () => {
  it.each([
    { movements: [], expected: [] },
    {
      movements: [0],
      expected: [
        [0, 'living', true],
        [90_000, 'living', false],
      ],
    },
    // A movement before the sensor clears re-arms it: one occupancy, cleared 90 s after the last movement.
    {
      movements: [0, 60_000, 100_000],
      expected: [
        [0, 'living', true],
        [190_000, 'living', false],
      ],
    },
    {
      movements: [200_000, 0],
      expected: [
        [0, 'living', true],
        [90_000, 'living', false],
        [200_000, 'living', true],
        [290_000, 'living', false],
      ],
    },
  ])('turns movements $movements into occupied/clear events', ({ movements, expected }) => {
    expect(reported(living(...movements))).toEqual(expected);
  });

  it('keeps each room’s sensor apart and leaves rooms without a sensor unseen', () => {
    const movements: Movement[] = [
      { at: 0, room: 'living' },
      { at: 30_000, room: 'toilet' },
      { at: 60_000, room: 'closet' },
    ];
    expect(reported(movements)).toEqual([
      [0, 'living', true],
      [30_000, 'toilet', true],
      [90_000, 'living', false],
      [120_000, 'toilet', false],
    ]);
  });

  it('reports the kitchen and the hall under the living room in an open-plan home', () => {
    const movements: Movement[] = [
      { at: 0, room: 'kitchen' },
      { at: 60_000, room: 'entrance' },
      { at: 100_000, room: 'bedroom' },
    ];
    expect(reported(movements, OPEN_PLAN)).toEqual([
      [0, 'living', true],
      [150_000, 'living', false],
    ]);
  });
});

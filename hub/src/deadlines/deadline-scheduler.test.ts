import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import { DeadlineScheduler } from './deadline-scheduler.js';
import { MinHeap } from '@mimamori/contract';

const T0 = Date.parse('2026-11-22T00:00:00Z');

function setup() {
  const clock = new ManualClock(T0);
  const fired: { key: string; payload: string; lateBy: number }[] = [];
  const scheduler = new DeadlineScheduler<string>(clock, (key, payload, dueAt) =>
    fired.push({ key, payload, lateBy: clock.now() - dueAt }),
  );
  scheduler.start();
  return { clock, fired, scheduler };
}

/** Has the scheduler fire in groups of `size`, and records how many deadlines each group fired. */
function countGroups(scheduler: DeadlineScheduler<string>, fired: readonly unknown[], size: number): number[] {
  const groups: number[] = [];
  scheduler.fireInGroups((fire) => {
    const before = fired.length;
    fire();
    groups.push(fired.length - before);
  }, size);
  return groups;
}

describe('MinHeap', () => {
  it('pops in ascending order whatever the push order', () => {
    const heap = new MinHeap<number>((a, b) => a < b);
    const values = [5, 3, 9, 1, 7, 1, 8, 2, 6, 4];
    values.forEach((v) => heap.push(v));
    const popped: number[] = [];
    for (let v = heap.pop(); v !== undefined; v = heap.pop()) popped.push(v);
    expect(popped).toEqual([...values].sort((a, b) => a - b));
  });
});

describe('DeadlineScheduler', () => {
  it('fires each deadline once, in due order, when its time comes', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.schedule('b', T0 + 2000, 'second');
    scheduler.schedule('a', T0 + 1000, 'first');
    scheduler.schedule('c', T0 + 3000, 'third');
    clock.advance(999);
    expect(fired).toEqual([]);
    clock.advance(2001);
    expect(fired.map((f) => f.payload)).toEqual(['first', 'second', 'third']);
    expect(fired.every((f) => f.lateBy === 0)).toBe(true);
    expect(scheduler.size).toBe(0);
  });

  it('replaces a deadline scheduled again under the same key', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.schedule('home-1', T0 + 1000, 'old');
    scheduler.schedule('home-1', T0 + 5000, 'new');
    clock.advance(10_000);
    expect(fired.map((f) => f.payload)).toEqual(['new']);
  });

  it('fires a deadline pushed back at its latest time only, with its latest payload, in one heap entry', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.schedule('rule', T0 + 1000, 'first');
    scheduler.schedule('rule', T0 + 3000, 'second');
    scheduler.schedule('rule', T0 + 2000, 'third');
    expect(scheduler.heapSize).toBe(1);
    expect(scheduler.dueAt('rule')).toBe(T0 + 2000);
    clock.advance(1999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([{ key: 'rule', payload: 'third', lateBy: 0 }]);
    clock.advance(10_000);
    expect(fired).toHaveLength(1);
  });

  it('fires a deadline brought forward at its new time, once', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.schedule('rule', T0 + 5000, 'later');
    scheduler.schedule('rule', T0 + 1000, 'sooner');
    clock.advance(1000);
    expect(fired).toEqual([{ key: 'rule', payload: 'sooner', lateBy: 0 }]);
    clock.advance(10_000);
    expect(fired).toHaveLength(1);
  });

  it('keeps its heap near the live deadlines when keys are pushed back again and again', () => {
    const { clock, fired, scheduler } = setup();
    for (let n = 1; n <= 100_000; n++) scheduler.schedule(`home-${n % 10}`, T0 + 1000 + n, `push ${n}`);
    expect(scheduler.size).toBe(10);
    expect(scheduler.heapSize).toBeLessThanOrEqual(2 * 10 + 1024 + 1);
    clock.advance(200_000);
    expect(fired.map((f) => f.payload)).toEqual(Array.from({ length: 10 }, (_, k) => `push ${99_991 + k}`));
  });

  it('never fires a cancelled deadline', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.schedule('x', T0 + 1000, 'x');
    expect(scheduler.cancel('x')).toBe(true);
    clock.advance(5000);
    expect(fired).toEqual([]);
  });

  it('fires at once a deadline that is already past (a restart after downtime)', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.schedule('overdue', T0 - 60_000, 'overdue');
    clock.advance(0);
    expect(fired).toEqual([{ key: 'overdue', payload: 'overdue', lateBy: 60_000 }]);
  });

  it('re-arms for an earlier deadline added while a later one is pending', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.schedule('late', T0 + 10_000, 'late');
    scheduler.schedule('early', T0 + 100, 'early');
    clock.advance(100);
    expect(fired.map((f) => f.payload)).toEqual(['early']);
  });

  it('fires nothing after stop()', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.schedule('x', T0 + 1000, 'x');
    scheduler.stop();
    clock.advance(5000);
    expect(fired).toEqual([]);
  });

  it('fires deadlines due together in groups, each group inside the given wrapper (one transaction each)', () => {
    const { clock, fired, scheduler } = setup();
    const groups = countGroups(scheduler, fired, 3);
    for (let i = 0; i < 7; i++) scheduler.schedule(`k${i}`, T0 + 1000, `p${i}`);
    scheduler.schedule('later', T0 + 5000, 'later');
    clock.advance(1000);
    expect(groups).toEqual([3, 3, 1]);
    expect(fired.map((f) => f.payload)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    clock.advance(4000);
    expect(fired.at(-1)?.payload).toBe('later');
  });

  it('does not count cancelled deadlines towards a group', () => {
    const { clock, fired, scheduler } = setup();
    const groups = countGroups(scheduler, fired, 2);
    for (let i = 0; i < 4; i++) scheduler.schedule(`k${i}`, T0 + 1000, `p${i}`);
    scheduler.cancel('k0');
    scheduler.cancel('k1');
    clock.advance(1000);
    expect(groups).toEqual([2]);
    expect(fired.map((f) => f.payload)).toEqual(['p2', 'p3']);
  });
});

import { describe, expect, it } from 'vitest';
import { MinHeap } from '@mimamori/contract';
import { mulberry32 } from './rng.js';
import { Scheduler } from './scheduler.js';
import { ManualClock } from '@mimamori/contract';

function setup() {
  const clock = new ManualClock(1_000_000);
  const errors: unknown[] = [];
  const scheduler = new Scheduler({ clock, onError: (error) => errors.push(error) });
  const ran: string[] = [];
  return { clock, scheduler, errors, ran, start: clock.now() };
}

describe('scheduler', () => {
  it('runs actions at their time, in time order, and same-time ones in the order scheduled', () => {
    const { clock, scheduler, ran, start } = setup();
    scheduler.at(start + 300, () => ran.push('c'));
    scheduler.at(start + 100, () => ran.push('a'));
    scheduler.at(start + 300, () => ran.push('d'));
    scheduler.at(start + 200, () => ran.push('b'));
    scheduler.start();
    clock.advance(99);
    expect(ran).toEqual([]);
    clock.advance(1);
    expect(ran).toEqual(['a']);
    clock.advance(1000);
    expect(ran).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps one timer, re-armed for an action scheduled earlier than the next one', () => {
    const { clock, scheduler, ran, start } = setup();
    scheduler.start();
    for (let i = 10; i > 0; i--) scheduler.at(start + i * 1000, () => ran.push(`t${i}`));
    expect(clock.pendingTimers).toBe(1);
    scheduler.after(50, () => ran.push('soon'));
    clock.advance(1000);
    expect(ran).toEqual(['soon', 't1']);
  });

  it('lets an action schedule the next one, as heartbeats do', () => {
    const { clock, scheduler, ran, start } = setup();
    const beat = (at: number) => scheduler.at(at, () => (ran.push(`beat@${at - start}`), beat(at + 100)));
    beat(start + 100);
    scheduler.start();
    clock.advance(350);
    expect(ran).toEqual(['beat@100', 'beat@200', 'beat@300']);
  });

  it('skips a cancelled action and reports a failing one without stopping the rest', () => {
    const { clock, scheduler, ran, errors } = setup();
    const cancel = scheduler.after(10, () => ran.push('cancelled'));
    scheduler.after(20, () => {
      throw new Error('boom');
    });
    scheduler.after(30, () => ran.push('after the failure'));
    scheduler.start();
    cancel();
    clock.advance(100);
    expect(ran).toEqual(['after the failure']);
    expect(errors).toEqual([new Error('boom')]);
  });

  it('drops every pending action and its timer on stop', () => {
    const { clock, scheduler, ran } = setup();
    scheduler.after(10, () => ran.push('never'));
    scheduler.start();
    scheduler.stop();
    scheduler.stop();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(100);
    expect(ran).toEqual([]);
  });
});

describe('min-heap', () => {
  it('pops any pushed numbers in ascending order', () => {
    const rng = mulberry32(9);
    const heap = new MinHeap<number>((a, b) => a < b);
    const values = Array.from({ length: 500 }, () => Math.floor(rng() * 100));
    for (const value of values) heap.push(value);
    const popped = Array.from({ length: values.length }, () => heap.pop());
    expect(popped).toEqual([...values].sort((a, b) => a - b));
    expect(heap.pop()).toBeUndefined();
  });
});

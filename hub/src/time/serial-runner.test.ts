import { describe, expect, it } from 'vitest';
import { ManualClock } from '@mimamori/contract';
import { SerialRunner } from './serial-runner.js';

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('SerialRunner', () => {
  it('never overlaps rounds and folds wake-ups during a round into one more round', async () => {
    const clock = new ManualClock(0);
    let active = 0;
    let maxActive = 0;
    let rounds = 0;
    let release: () => void = () => {};
    const runner = new SerialRunner(
      clock,
      async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        rounds += 1;
        await new Promise<void>((resolve) => (release = resolve));
        active -= 1;
        return undefined;
      },
      () => {},
    );
    runner.start();
    await flush();
    runner.wake();
    runner.wake();
    runner.wake();
    release();
    await flush();
    release();
    await flush();
    expect(rounds).toBe(2);
    expect(maxActive).toBe(1);
    await runner.stop();
  });

  it('sleeps as long as the round asks, and not at all after stop()', async () => {
    const clock = new ManualClock(0);
    let rounds = 0;
    const runner = new SerialRunner(
      clock,
      async () => {
        rounds += 1;
        return 1000;
      },
      () => {},
    );
    runner.start();
    await flush();
    expect(runner.sleeping).toBe(true);
    clock.advance(999);
    await flush();
    expect(rounds).toBe(1);
    clock.advance(1);
    await flush();
    expect(rounds).toBe(2);
    await runner.stop();
    clock.advance(10_000);
    await flush();
    expect(rounds).toBe(2);
  });

  it('reports a failing round and keeps going on the next wake-up', async () => {
    const errors: unknown[] = [];
    let rounds = 0;
    const runner = new SerialRunner(
      new ManualClock(0),
      async () => {
        rounds += 1;
        if (rounds === 1) throw new Error('boom');
        return undefined;
      },
      (error) => errors.push(error),
    );
    runner.start();
    await flush();
    runner.wake();
    await flush();
    expect(errors).toHaveLength(1);
    expect(rounds).toBe(2);
    await runner.stop();
  });
});

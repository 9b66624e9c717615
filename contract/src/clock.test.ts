import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from './clock.js';

describe('systemClock', () => {
  it('waits for a timer weeks away instead of firing it at once (Node caps timers at 24.8 days)', async () => {
    let fired = 0;
    const cancel = systemClock.setTimer(() => fired++, 30 * 86_400_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    cancel();
    expect(fired).toBe(0);
  });
});

describe('ManualClock', () => {
  it('fires due timers in due order as time is advanced, and not cancelled ones', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimer(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimer(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimer(() => fired.push('cancelled'), 15)();
    clock.advance(25);
    expect(fired).toEqual(['a@10', 'b@20']);
    expect(clock.now()).toBe(25);
    expect(clock.pendingTimers).toBe(0);
  });
});

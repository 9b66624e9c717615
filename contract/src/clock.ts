/**
 * The one source of "now" and of timers for the hub, the simulator and the speaker. Live code
 * gets `systemClock`; tests, backtests and simulations get a `ManualClock` (or their own) and
 * move time themselves, so nothing inside the domain calls `Date.now()` or `setTimeout` directly.
 */
export interface Clock {
  now(): number;
  /** Calls `callback` once after `delayMs`; returns a function that cancels it. */
  setTimer(callback: () => void, delayMs: number): () => void;
}

/**
 * Node's timers take at most 2^31−1 ms (24.8 days); a longer delay fires at once instead, which
 * would turn a deadline weeks away (an absence's end) into a timer firing every millisecond.
 * The clock's users re-arm from their own due times, so a clamped timer only wakes them early.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const timer = setTimeout(callback, Math.min(MAX_TIMER_MS, Math.max(0, delayMs)));
    // A pending deadline must not keep a stopping process alive; stop() cancels it anyway.
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** A clock that only moves when told to; timers fire in due order inside `advance()`. */
export class ManualClock implements Clock {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, delayMs: number): () => void {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + Math.max(0, delayMs), callback });
    return () => this.#timers.delete(id);
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in due order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#timers) {
        if (entry[1].at <= target && (!next || entry[1].at < next[1].at)) next = entry;
      }
      if (!next) break;
      this.#timers.delete(next[0]);
      this.#now = Math.max(this.#now, next[1].at);
      next[1].callback();
    }
    this.#now = target;
  }
}

/**
 * The simulator's only sources of "now" and of timers, injected so that tests can drive
 * time themselves and nothing inside the simulation calls Date.now() or setTimeout directly.
 */
export interface Clock {
  now(): number;
  /** Calls `callback` once after `delayMs`; returns a function that cancels it. */
  setTimer(callback: () => void, delayMs: number): () => void;
}

/** Node's timers refuse delays above 2^31-1 ms (they fire at once instead). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const timer = setTimeout(callback, Math.min(MAX_TIMER_MS, Math.max(0, delayMs)));
    return () => clearTimeout(timer);
  },
};

/**
 * Simulated time: starts at the real clock's now and runs `speed` times faster. Timers are
 * set in simulated milliseconds and wait `1/speed` as long on the real clock.
 */
export class SimClock implements Clock {
  readonly #start: number;

  constructor(
    private readonly real: Clock,
    readonly speed: number,
  ) {
    this.#start = real.now();
  }

  now(): number {
    return this.#start + (this.real.now() - this.#start) * this.speed;
  }

  setTimer(callback: () => void, delayMs: number): () => void {
    return this.real.setTimer(callback, delayMs / this.speed);
  }
}

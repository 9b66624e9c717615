import type { Clock } from '@mimamori/contract';

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

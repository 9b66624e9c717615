import type { Clock } from '@mimamori/contract';
import { MinHeap } from '@mimamori/contract';

interface Action {
  at: number;
  /** Insertion order: actions due at the same moment run in the order they were scheduled. */
  seq: number;
  run: () => void;
  cancelled: boolean;
}

export interface SchedulerDeps {
  /** Simulated time; the scheduler arms one timer on it for the next due action. */
  clock: Clock;
  /** A failing action is reported here and the others still run. */
  onError: (error: unknown) => void;
}

/**
 * Every timed action of the simulation in one priority queue with one timer, rather than a
 * setInterval per sensor: thousands of devices cost one timer, and stop() has one thing to clear.
 */
export class Scheduler {
  readonly #queue = new MinHeap<Action>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  #seq = 0;
  #running = false;
  #armedAt = Infinity;
  #cancelTimer: (() => void) | undefined;

  constructor(private readonly deps: SchedulerDeps) {}

  now(): number {
    return this.deps.clock.now();
  }

  /** Runs `run` at simulated time `at` (at once if that has passed); returns a cancel function. */
  at(at: number, run: () => void): () => void {
    const action: Action = { at, seq: this.#seq++, run, cancelled: false };
    this.#queue.push(action);
    if (this.#running && at < this.#armedAt) this.#arm();
    return () => {
      action.cancelled = true;
    };
  }

  after(delayMs: number, run: () => void): () => void {
    return this.at(this.deps.clock.now() + delayMs, run);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#arm();
  }

  /** Drops every pending action; idempotent. */
  stop(): void {
    this.#running = false;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#armedAt = Infinity;
    this.#queue.clear();
  }

  #arm(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    const next = this.#queue.peek();
    this.#armedAt = next?.at ?? Infinity;
    if (next) this.#cancelTimer = this.deps.clock.setTimer(() => this.#runDue(), next.at - this.deps.clock.now());
  }

  #runDue(): void {
    this.#cancelTimer = undefined;
    const now = this.deps.clock.now();
    for (let next = this.#queue.peek(); this.#running && next && next.at <= now; next = this.#queue.peek()) {
      this.#queue.pop();
      if (next.cancelled) continue;
      try {
        next.run();
      } catch (error) {
        this.deps.onError(error);
      }
    }
    if (this.#running) this.#arm();
  }
}

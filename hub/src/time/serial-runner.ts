import type { Clock } from '@mimamori/contract';

/**
 * Runs a background job one round at a time. `wake()` during a round asks for exactly one more
 * round after it; between rounds the runner sleeps on the injected clock for as long as the
 * round asked (`undefined`: until the next `wake()`). `stop()` cancels the sleep and waits for a
 * round in progress. Used by the notifier (outbox) and the InfluxDB forwarder (journal).
 */
export class SerialRunner {
  #running = false;
  #round: Promise<void> | undefined;
  #again = false;
  #cancelSleep: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly round: () => Promise<number | undefined>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** True while sleeping with a timer set by the last round (not merely idle). */
  get sleeping(): boolean {
    return this.#cancelSleep !== undefined;
  }

  start(): void {
    this.#running = true;
    this.wake();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#cancelSleep?.();
    this.#cancelSleep = undefined;
    await this.#round;
  }

  wake(): void {
    if (!this.#running) return;
    if (this.#round) {
      this.#again = true;
      return;
    }
    this.#cancelSleep?.();
    this.#cancelSleep = undefined;
    // setImmediate: a wake() from inside a transaction runs after that transaction commits.
    this.#round = new Promise((resolve) => setImmediate(resolve))
      .then(() => this.round())
      .catch((error: unknown) => {
        this.onError(error);
        return undefined;
      })
      .then((sleepMs) => {
        this.#round = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        } else if (this.#running && sleepMs !== undefined) {
          this.#cancelSleep = this.clock.setTimer(() => {
            this.#cancelSleep = undefined;
            this.wake();
          }, sleepMs);
        }
      });
  }
}

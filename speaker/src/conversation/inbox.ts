import type { Clock } from '@mimamori/contract';

export type Waited<T> = { kind: 'item'; item: T } | { kind: 'timeout' } | { kind: 'stopped' };

/**
 * What the resident does (a press, words heard), waited for one at a time with a time limit.
 * An item that arrives while nobody waits is kept for the next wait.
 */
export class Inbox<T> {
  readonly #items: T[] = [];
  #waiter: ((result: Waited<T>) => void) | undefined;
  #stopped = false;

  constructor(private readonly clock: Clock) {}

  put(item: T): void {
    if (this.#stopped) return;
    if (this.#waiter) this.#waiter({ kind: 'item', item });
    else this.#items.push(item);
  }

  /**
   * The next item; or `timeout` after `maxMs` (never, for Infinity) or once `until` settles
   * (the end of a sentence being said), whichever comes first; or `stopped`.
   */
  next(maxMs: number, until?: Promise<unknown>): Promise<Waited<T>> {
    if (this.#stopped) return Promise.resolve({ kind: 'stopped' });
    const queued = this.#items.shift();
    if (queued !== undefined) return Promise.resolve({ kind: 'item', item: queued });
    return new Promise((resolve) => {
      let settled = false;
      let cancelTimer = () => {};
      const waiter = (result: Waited<T>) => {
        if (settled) return;
        settled = true;
        cancelTimer();
        if (this.#waiter === waiter) this.#waiter = undefined;
        resolve(result);
      };
      this.#waiter = waiter;
      if (Number.isFinite(maxMs)) cancelTimer = this.clock.setTimer(() => waiter({ kind: 'timeout' }), maxMs);
      void until?.then(() => waiter({ kind: 'timeout' }));
    });
  }

  /** Ends every wait now and later. */
  stop(): void {
    this.#stopped = true;
    this.#items.length = 0;
    this.#waiter?.({ kind: 'stopped' });
  }
}

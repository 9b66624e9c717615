import type { Alert } from '@mimamori/contract';

type Listener = (alert: Alert) => void;

/**
 * Alert changes for live views (the dashboard's server-sent events). Publishing happens after
 * the transition's transaction has committed, so a listener never sees a change that was rolled
 * back; a failing listener is dropped rather than allowed to break the others.
 */
export class AlertFeed {
  readonly #listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells the listeners once the current synchronous work (and its outermost transaction) is done. */
  publishAfterCommit(alert: Alert): void {
    if (this.#listeners.size === 0) return;
    setImmediate(() => {
      for (const listener of this.#listeners) {
        try {
          listener(alert);
        } catch {
          this.#listeners.delete(listener);
        }
      }
    });
  }

  get size(): number {
    return this.#listeners.size;
  }
}

import type { Db } from './database.js';
import { remember } from '../recent-map.js';
import { transactionsOf, type TransactionParticipant } from './transactions.js';

const ABSENT = Symbol('absent');
type Slot<V> = V | typeof ABSENT;

/** How a write-behind map reads and writes its rows. */
export interface RowAccess<V> {
  read(key: string): V | undefined;
  /** `undefined` deletes the row. */
  write(key: string, value: V | undefined): void;
  /** Whether `value` holds what the file holds already (`stored`), so that it need not be written again. */
  unchanged?(stored: V, value: V): boolean;
}

/**
 * Rows kept in memory and written once per outermost transaction, in it: a journal group of
 * hundreds of events then writes each (rule, home) state once, and no event reads one from the
 * file that an earlier event of the last few groups already read or wrote.
 *
 * What a transaction wrote goes back with it — a savepoint rolled back, or a COMMIT that
 * failed (disk full, the file locked) — so memory never runs ahead of the file: a position
 * kept ahead of a failed commit once made the engine skip an event (issue 8).
 *
 * Values are handed out as they are: callers replace them, never change them in place.
 * The rows last used stay in memory up to `capacity`; older ones are read again when needed.
 */
export class WriteBehindMap<V> implements TransactionParticipant {
  /** What the file holds, least recently used first. */
  readonly #committed = new Map<string, Slot<V>>();
  /** What each open transaction wrote, the innermost last. */
  readonly #open: Map<string, Slot<V>>[] = [];

  constructor(
    private readonly db: Db,
    private readonly rows: RowAccess<V>,
    private readonly capacity: number,
  ) {
    transactionsOf(db).join(this);
  }

  get(key: string): V | undefined {
    for (let i = this.#open.length - 1; i >= 0; i--) {
      const slot = this.#open[i]?.get(key);
      if (slot !== undefined) return slot === ABSENT ? undefined : slot;
    }
    const known = this.#committed.get(key);
    if (known !== undefined) {
      this.#remember(key, known);
      return known === ABSENT ? undefined : known;
    }
    const value = this.rows.read(key);
    // Inside someone else's transaction the file may hold what it has not committed yet.
    if (this.#open.length > 0 || !this.db.inTransaction) this.#remember(key, value ?? ABSENT);
    return value;
  }

  set(key: string, value: V | undefined): void {
    const innermost = this.#open.at(-1);
    if (innermost) {
      innermost.set(key, value ?? ABSENT);
      return;
    }
    // No transaction of ours: write through, and read it back next time.
    this.rows.write(key, value);
    this.#committed.delete(key);
  }

  /** Rows changed behind the map's back (a cascade of a deleted parent): read them from the file next time. */
  forget(key: string): void {
    this.#committed.delete(key);
  }

  begin(): void {
    this.#open.push(new Map());
  }

  release(): void {
    const inner = this.#close();
    const outer = this.#open.at(-1);
    for (const [key, slot] of inner) outer?.set(key, slot);
  }

  rollback(): void {
    this.#close();
  }

  flush(): void {
    for (const [key, slot] of this.#open[0] ?? []) {
      // What memory says the file holds is what it holds (see the class comment).
      const stored = this.#committed.get(key);
      if (slot !== ABSENT && stored !== undefined && stored !== ABSENT && this.rows.unchanged?.(stored, slot)) continue;
      this.rows.write(key, slot === ABSENT ? undefined : slot);
    }
  }

  committed(): void {
    for (const [key, slot] of this.#close()) this.#remember(key, slot);
  }

  #close(): Map<string, Slot<V>> {
    const innermost = this.#open.pop();
    if (!innermost) throw new Error('a transaction ended that had not begun');
    return innermost;
  }

  #remember(key: string, slot: Slot<V>): void {
    remember(this.#committed, key, slot, this.capacity);
  }
}

import type { Db } from './database.js';

/**
 * Something kept in memory that must commit and roll back with the file's transactions:
 * told when a transaction (or a nested one, a savepoint) begins, how it ends, and asked to
 * write what it holds just before the outermost one commits.
 */
export interface TransactionParticipant {
  begin(): void;
  /** The innermost transaction succeeded: what it did now belongs to the one around it. */
  release(): void;
  /** The innermost transaction failed: forget what it did. */
  rollback(): void;
  /** Inside the outermost transaction, just before COMMIT: write what is not in the file yet. */
  flush(): void;
  /** The outermost transaction committed: what it wrote is what the file holds now. */
  committed(): void;
}

/** What a flat transaction throws when work nested in it failed, even if that failure was caught: nothing of it is kept. */
export class NestedWorkFailed extends Error {
  constructor(cause: unknown) {
    super('work nested in a flat transaction failed', { cause });
    this.name = 'NestedWorkFailed';
  }
}

/**
 * The hub's transactions on one file, with participants that keep rows in memory between them
 * (rule state, journal cursors). Without them every event read and wrote each rule's state as
 * JSON and read its cursor from the file: half of the hub's CPU under load (issue 21).
 *
 * A transaction someone opened with `db.transaction` directly is not seen here: participants
 * then have no transaction of theirs open and read and write the file as they go.
 */
export class Transactions {
  readonly #participants: TransactionParticipant[] = [];
  readonly #run: ReturnType<Db['transaction']>;
  #depth = 0;
  /** While a flat transaction runs: the first failure of work nested in it. */
  #flat: { failure?: { error: unknown } } | undefined;

  constructor(private readonly db: Db) {
    this.#run = db.transaction((work: () => unknown) => {
      const result = work();
      if (this.#flat?.failure) throw new NestedWorkFailed(this.#flat.failure.error);
      if (this.#depth === 1) this.#participants.forEach((p) => p.flush());
      return result;
    });
  }

  join(participant: TransactionParticipant): void {
    this.#participants.push(participant);
  }

  /**
   * Runs `work` in a transaction (a savepoint when nested), `immediate` taking the write lock at
   * BEGIN. An outermost transaction that is `flat` opens no savepoints for the work nested in
   * it: when any of that fails it throws `NestedWorkFailed` and keeps nothing, for its caller
   * to try again with savepoints. A savepoint per event was a tenth of the hub's CPU under
   * load (issue 21), for a failure that almost never happens.
   */
  run<T>(work: () => T, options: { immediate?: boolean; flat?: boolean } = {}): T {
    // Inside a transaction opened elsewhere, whose end is not ours to see.
    if (this.#depth === 0 && this.db.inTransaction) return this.#run(work) as T;
    if (this.#flat) return this.#withinFlat(work);
    this.#depth += 1;
    const outermost = this.#depth === 1;
    this.#participants.forEach((p) => p.begin());
    if (options.flat && outermost) this.#flat = {};
    let result: T;
    try {
      result = (options.immediate ? this.#run.immediate(work) : this.#run(work)) as T;
    } catch (error) {
      this.#depth -= 1;
      this.#participants.forEach((p) => p.rollback());
      throw error;
    } finally {
      if (outermost) this.#flat = undefined;
    }
    this.#depth -= 1;
    this.#participants.forEach((p) => (this.#depth === 0 ? p.committed() : p.release()));
    return result;
  }

  #withinFlat<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (this.#flat) this.#flat.failure ??= { error };
      throw error;
    }
  }
}

const perFile = new WeakMap<Db, Transactions>();

/** The one `Transactions` of a file: repositories join it, the hub's code runs its transactions through it. */
export function transactionsOf(db: Db): Transactions {
  let transactions = perFile.get(db);
  if (!transactions) {
    transactions = new Transactions(db);
    perFile.set(db, transactions);
  }
  return transactions;
}

import type { Clock } from '../time/index.js';
import { MinHeap } from '@mimamori/contract';

/** What most deadlines carry: an action, told the time it was due. */
export type DeadlineAction = (dueAt: number) => void;

/** Stale entries tolerated beyond the live ones, so that a small heap is not rebuilt all the time. */
const COMPACT_SLACK = 1024;

interface Entry<T> {
  key: string;
  /** Where the heap holds it: its due time, or an earlier one it was pushed back from. */
  at: number;
  /** Sequence of `at`'s scheduling: ties fire in the order they were scheduled. */
  generation: number;
  /** When it is due, and the sequence of that scheduling (`at` catches up when it surfaces). */
  due: number;
  dueGeneration: number;
  payload: T;
}

/**
 * Every deadline of the hub (check-in windows, inactivity, escalation steps, absence ends) in
 * one min-heap with one armed timer for the earliest, instead of a timer per resident:
 * 100k `setTimeout`s cost ~66 MB where the heap costs ~8.5 MB (issue 7's measurement).
 *
 * Deadlines are keyed: scheduling a key again replaces its deadline, `cancel` removes it.
 * Replaced entries stay in the heap and are skipped when they surface (lazy deletion), which
 * keeps both operations O(log n). Rules push their deadline back on every event: a deadline
 * pushed back keeps its place in the heap and only records its new time, and moves there when
 * its old time surfaces (before the timer is armed for it), so an event costs no heap push and
 * no garbage (the scheduler was 6 % of the main thread's profile at full ingest). A deadline
 * brought forward is pushed anew; the stale entries that leaves are dropped by rebuilding the
 * heap from the live ones whenever they outnumber them, which keeps it O(live).
 */
export class DeadlineScheduler<T> {
  readonly #heap = new MinHeap<Entry<T>>((a, b) => a.at < b.at || (a.at === b.at && a.generation < b.generation));
  readonly #live = new Map<string, Entry<T>>();
  #generation = 0;
  #cancelTimer: (() => void) | undefined;
  #armedFor: number | undefined;
  #running = false;
  #group: (fire: () => void) => void = (fire) => fire();
  #groupSize = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: (key: string, payload: T, dueAt: number) => void,
  ) {}

  get size(): number {
    return this.#live.size;
  }

  /** Entries the heap holds, replaced and cancelled ones included. */
  get heapSize(): number {
    return this.#heap.size;
  }

  /** When `key` is due, or undefined. */
  dueAt(key: string): number | undefined {
    return this.#live.get(key)?.due;
  }

  /**
   * Deadlines due together fire in groups of at most `size`, each group inside `group` (the
   * store's transaction): at 9:00 every resident's check-in falls due at once, and one commit
   * (one fsync) per deadline took a millisecond each (issue 7's scale benchmark). Between
   * groups the event loop turns, so answers and prompts flow while the rest wait their turn.
   * A deadline whose own transaction fails rolls back alone (a nested transaction is a savepoint).
   */
  fireInGroups(group: (fire: () => void) => void, size: number): void {
    this.#group = group;
    this.#groupSize = size;
  }

  start(): void {
    this.#running = true;
    this.#arm();
  }

  stop(): void {
    this.#running = false;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#armedFor = undefined;
  }

  schedule(key: string, at: number, payload: T): void {
    const generation = ++this.#generation;
    const live = this.#live.get(key);
    if (live && live.at <= at) {
      live.due = at;
      live.dueGeneration = generation;
      live.payload = payload;
      return;
    }
    const entry = { key, at, generation, due: at, dueGeneration: generation, payload };
    this.#live.set(key, entry);
    this.#heap.push(entry);
    if (this.#heap.size > 2 * this.#live.size + COMPACT_SLACK) this.#compact();
    if (this.#armedFor === undefined || at < this.#armedFor) this.#arm();
  }

  cancel(key: string): boolean {
    return this.#live.delete(key);
  }

  /**
   * Fires the deadlines that are due now, earliest first, one group at a time (`fireInGroups`);
   * a deadline already past fires at once, and the rest of a large group on the next turn.
   */
  #fireDue(): void {
    this.#cancelTimer = undefined;
    this.#armedFor = undefined;
    const now = this.clock.now();
    this.#group(() => {
      let fired = 0;
      for (let top = this.#heap.peek(); top && top.at <= now && fired < this.#groupSize; top = this.#heap.peek()) {
        this.#heap.pop();
        if (this.#live.get(top.key) !== top) continue; // replaced or cancelled
        if (top.due > top.at) {
          this.#catchUp(top);
          continue;
        }
        this.#live.delete(top.key);
        fired += 1;
        this.onDue(top.key, top.payload, top.due);
      }
    });
    this.#arm();
  }

  #compact(): void {
    this.#heap.clear();
    for (const entry of this.#live.values()) this.#catchUp(entry);
  }

  /** Puts a pushed-back entry (out of the heap) where its due time is. */
  #catchUp(entry: Entry<T>): void {
    entry.at = entry.due;
    entry.generation = entry.dueGeneration;
    this.#heap.push(entry);
  }

  #arm(): void {
    if (!this.#running) return;
    while (this.#heap.size > 0) {
      const top = this.#heap.peek() as Entry<T>;
      const live = this.#live.get(top.key) === top;
      if (live && top.due === top.at) break;
      this.#heap.pop();
      if (live) this.#catchUp(top);
    }
    const next = this.#heap.peek();
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#armedFor = next?.at;
    if (next) this.#cancelTimer = this.clock.setTimer(() => this.#fireDue(), next.at - this.clock.now());
  }
}

import type { Db } from './database.js';

/** A named, durable position in the journal (the engine's and the InfluxDB forwarder's). */
export class JournalCursor {
  readonly #get;
  readonly #set;

  constructor(
    db: Db,
    readonly name: string,
  ) {
    this.#get = db.prepare('SELECT seq FROM cursors WHERE name = ?');
    // Set once per evaluated event: prepared once.
    this.#set = db.prepare(
      'INSERT INTO cursors (name, seq) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET seq = excluded.seq',
    );
  }

  get(): number {
    const row = this.#get.get(this.name) as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  set(seq: number): void {
    this.#set.run(this.name, seq);
  }
}

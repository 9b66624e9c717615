import type { Db } from './database.js';
import { WriteBehindMap } from './write-behind.js';

/**
 * A named, durable position in the journal (the engine's and the InfluxDB forwarder's). Set once
 * per evaluated event, it is kept in memory and written when the transaction around it commits.
 */
export class JournalCursor {
  readonly #seq: WriteBehindMap<number>;

  constructor(
    db: Db,
    readonly name: string,
  ) {
    const select = db.prepare('SELECT seq FROM cursors WHERE name = ?');
    const upsert = db.prepare(
      'INSERT INTO cursors (name, seq) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET seq = excluded.seq',
    );
    this.#seq = new WriteBehindMap<number>(
      db,
      {
        read: () => (select.get(name) as { seq: number } | undefined)?.seq,
        write: (_, seq) => upsert.run(name, seq ?? 0),
      },
      1,
    );
  }

  get(): number {
    return this.#seq.get(this.name) ?? 0;
  }

  set(seq: number): void {
    this.#seq.set(this.name, seq);
  }
}

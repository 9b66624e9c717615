import type { Db } from './database.js';

/** A named, durable position in the journal (the engine's and the InfluxDB forwarder's). */
export class JournalCursor {
  constructor(
    private readonly db: Db,
    readonly name: string,
  ) {}

  get(): number {
    const row = this.db.prepare('SELECT seq FROM cursors WHERE name = ?').get(this.name) as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  set(seq: number): void {
    this.db
      .prepare('INSERT INTO cursors (name, seq) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET seq = excluded.seq')
      .run(this.name, seq);
  }
}

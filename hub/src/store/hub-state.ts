import type { Db } from './database.js';

/** Small durable facts about the hub itself, such as when it was last known to be running. */
export class HubStateRepository {
  constructor(private readonly db: Db) {}

  get(key: string): number | undefined {
    const row = this.db.prepare('SELECT value FROM hub_state WHERE key = ?').get(key) as { value: number } | undefined;
    return row?.value;
  }

  set(key: string, value: number): void {
    this.db.prepare('INSERT INTO hub_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}

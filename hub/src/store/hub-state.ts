import type { Db } from './database.js';
import { REGISTRY_VERSION_KEY } from './migrations/index.js';

/** Small durable facts about the hub itself, such as when it was last known to be running. */
export class HubStateRepository {
  readonly #get;
  readonly #set;

  constructor(db: Db) {
    this.#get = db.prepare('SELECT value FROM hub_state WHERE key = ?');
    this.#set = db.prepare(
      'INSERT INTO hub_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  get(key: string): number | undefined {
    const row = this.#get.get(key) as { value: number } | undefined;
    return row?.value;
  }

  set(key: string, value: number): void {
    this.#set.run(key, value);
  }

  /** Changes whenever a home's record, residents, devices, absences or baseline change (kept by triggers). */
  registryVersion(): number {
    return this.get(REGISTRY_VERSION_KEY) ?? 0;
  }
}

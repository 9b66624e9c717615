import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the hub's SQLite file and brings its schema up to date.
 *
 * WAL lets the API read while ingest writes. `synchronous = FULL` makes every commit survive
 * power loss, not just a process crash: a PUBACK promises the event is stored, and group
 * commits keep the fsync cost per event small.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Another connection (a backup, an operator's sqlite3 shell) may hold a lock briefly.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/**
 * A second, read-only connection to an open hub's file, for work off the main thread
 * (backtests in worker threads). WAL lets it read while the hub writes.
 */
export function openReadOnly(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Applies every migration newer than the file's `user_version`, each in its own transaction. */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `The database schema (version ${current}) is newer than this hub (${MIGRATIONS.length}); upgrade the hub.`,
    );
  }
  for (const [index, sql] of MIGRATIONS.entries()) {
    const version = index + 1;
    if (version <= current) continue;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
  }
}

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, checksumOf, type Migration } from './migrations/index.js';

export type Db = Database.Database;

/**
 * How long a write waits for a lock another connection (a backup, an operator's sqlite3 shell)
 * holds before it fails with SQLITE_BUSY. The wait blocks the hub's event loop (better-sqlite3 is
 * synchronous): long enough to outlast a brief lock, short enough that a lock held on turns into
 * refused events, which devices send again, rather than a hub that stops answering.
 */
export const BUSY_TIMEOUT_MS = 5000;

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
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  migrate(db);
  return reusingStatements(db);
}

/**
 * A second, read-only connection to an open hub's file, for work off the main thread
 * (backtests in worker threads). WAL lets it read while the hub writes.
 */
export function openReadOnly(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return reusingStatements(db);
}

/**
 * Makes `db.prepare` hand back the statement it compiled before for the same SQL. Repositories
 * can then write their queries where they are used, and an event's path through the hub (a
 * dozen queries) does not recompile them each time — compiling was a fifth of the hub's CPU
 * under load. A statement that is still being iterated is busy and cannot be shared; a second
 * one is compiled for that use.
 */
function reusingStatements(db: Db): Db {
  const compile = db.prepare.bind(db);
  const compiled = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    const cached = compiled.get(sql);
    if (cached && !cached.busy) return cached;
    const statement = compile(sql);
    if (!cached) compiled.set(sql, statement);
    return statement;
  }) as Db['prepare'];
  return db;
}

/**
 * Applies every migration newer than the file's `user_version`, each in its own transaction,
 * records them in `schema_migrations`, then checks that every migration the file has run is still the
 * one this hub knows: a shipped migration that was edited (or removed) stops the hub here, since
 * the file never saw the edit.
 */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, now = Date.now()): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `The database schema (version ${current}) is newer than this hub (${migrations.length}); upgrade the hub.`,
    );
  }
  for (const [index, migration] of migrations.entries()) {
    const version = index + 1;
    if (version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${version}`);
    })();
  }
  // Recorded as they are now the first time they are seen (migrations of older files included);
  // an existing row keeps the checksum of what actually ran.
  const record = db.prepare('INSERT OR IGNORE INTO schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)');
  db.transaction(() => migrations.forEach((m) => record.run(m.name, checksumOf(m), now)))();
  verifyApplied(db, migrations);
}

function verifyApplied(db: Db, migrations: readonly Migration[]): void {
  const known = new Map(migrations.map((m) => [m.name, checksumOf(m)]));
  const applied = db.prepare('SELECT name, checksum FROM schema_migrations').all() as {
    name: string;
    checksum: string;
  }[];
  for (const { name, checksum } of applied) {
    const expected = known.get(name);
    if (expected === undefined) throw new Error(`The database ran migration ${name}, which this hub does not have.`);
    if (expected !== checksum) {
      throw new Error(
        `Migration ${name} was edited after this database ran it; a shipped migration must never change (append a new one).`,
      );
    }
  }
}

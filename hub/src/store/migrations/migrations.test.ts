import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../database.js';
import { MIGRATIONS, checksumOf } from './index.js';
import shipped from './shipped.json' with { type: 'json' };

describe('schema migrations', () => {
  it('never changes a migration that has shipped, and records each new one in shipped.json', () => {
    const current = MIGRATIONS.map((m) => [m.name, checksumOf(m)]);
    // A shipped migration keeps its place, its name and its SQL; new ones only ever come after them.
    expect(current.slice(0, Object.keys(shipped).length)).toEqual(Object.entries(shipped));
    expect(current.length).toBe(Object.keys(shipped).length);
  });

  it('names each migration NNNN-what-it-adds, numbered in the order it runs', () => {
    MIGRATIONS.forEach((m, index) =>
      expect(m.name).toMatch(new RegExp(`^${String(index + 1).padStart(4, '0')}-[a-z0-9-]+$`)),
    );
  });

  it('upgrades a file migrated before migrations had names, recording every one', () => {
    const db = new Database(':memory:');
    // As the hub did until 0010: each migration's SQL, counted in user_version only.
    MIGRATIONS.slice(0, 9).forEach((m) => db.exec(m.sql));
    db.pragma('user_version = 9');
    migrate(db);
    const names = db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all();
    expect(names).toEqual(MIGRATIONS.map((m) => m.name));
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('refuses to open a database that ran a migration since edited', () => {
    const db = new Database(':memory:');
    migrate(db);
    const edited = MIGRATIONS.map((m, i) => (i === 3 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    expect(() => migrate(db, edited)).toThrow(/Migration 0004-zigbee2mqtt-names was edited after this database ran it/);
  });

  it('refuses a database newer than the hub', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(() => migrate(db, MIGRATIONS.slice(0, 5))).toThrow(/newer than this hub/);
  });
});

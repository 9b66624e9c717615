import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { NestedWorkFailed, transactionsOf } from './transactions.js';
import { WriteBehindMap } from './write-behind.js';

/** A write-behind map over a real table, counting what it reads and writes in the file. */
function mapOverTable(capacity = 100, unchanged?: (stored: string, value: string) => boolean) {
  const db = openDatabase(':memory:');
  db.exec('CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)');
  const io = { reads: 0, writes: 0 };
  const map = new WriteBehindMap<string>(
    db,
    {
      read: (k) => {
        io.reads += 1;
        return (db.prepare('SELECT v FROM kv WHERE k = ?').get(k) as { v: string } | undefined)?.v;
      },
      write: (k, v) => {
        io.writes += 1;
        if (v === undefined) db.prepare('DELETE FROM kv WHERE k = ?').run(k);
        else db.prepare('INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v').run(k, v);
      },
      ...(unchanged && { unchanged }),
    },
    capacity,
  );
  const inFile = (k: string) => (db.prepare('SELECT v FROM kv WHERE k = ?').get(k) as { v: string } | undefined)?.v;
  return { db, map, io, inFile, run: <T>(work: () => T) => transactionsOf(db).run(work) };
}

describe('write-behind map', () => {
  it('writes each row once, when the outermost transaction commits, however often it changed', () => {
    const { map, io, inFile, run } = mapOverTable();
    run(() => {
      for (let i = 1; i <= 5; i++) run(() => map.set('a', `v${i}`));
      expect(inFile('a')).toBeUndefined();
      expect(map.get('a')).toBe('v5');
    });
    expect(inFile('a')).toBe('v5');
    expect(io.writes).toBe(1);
    expect(map.get('a')).toBe('v5');
    expect(io.reads).toBe(0);
  });

  it('does not write a row again that holds what the file holds, and writes a changed one', () => {
    const { map, io, inFile, run } = mapOverTable(100, (stored, value) => stored === value);
    run(() => map.set('a', 'same'));
    run(() => map.set('a', 'same'));
    expect(io.writes).toBe(1);
    run(() => {
      map.set('a', 'other');
      map.set('a', 'same');
    });
    expect(io.writes).toBe(1);
    run(() => map.set('a', 'changed'));
    expect([io.writes, inFile('a')]).toEqual([2, 'changed']);
    // After a rollback the file still holds 'changed': the same value is not written, another is.
    expect(() =>
      run(() => {
        map.set('a', 'lost');
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    run(() => map.set('a', 'changed'));
    expect(io.writes).toBe(2);
    run(() => map.set('a', undefined));
    expect([io.writes, inFile('a')]).toEqual([3, undefined]);
  });

  it('forgets what a rolled-back savepoint wrote, and keeps what its neighbours wrote', () => {
    const { map, inFile, run } = mapOverTable();
    run(() => map.set('a', 'before'));
    run(() => {
      run(() => map.set('b', 'kept'));
      expect(() =>
        run(() => {
          map.set('a', 'lost');
          map.set('c', 'lost');
          throw new Error('a rule threw');
        }),
      ).toThrow('a rule threw');
      expect(map.get('a')).toBe('before');
    });
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual(['before', 'kept', undefined]);
    expect([inFile('a'), inFile('b'), inFile('c')]).toEqual(['before', 'kept', undefined]);
  });

  it('goes back to what the file holds when the COMMIT itself fails', () => {
    const { db, map, inFile, run } = mapOverTable();
    // A deferred foreign key is checked at COMMIT: a real commit that fails after the rows were written.
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
             CREATE TABLE child (parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)`);
    run(() => map.set('cursor', '41'));
    expect(() =>
      run(() => {
        map.set('cursor', '42');
        map.set('new', 'x');
        db.prepare('INSERT INTO child (parent) VALUES (7)').run();
      }),
    ).toThrow(/FOREIGN KEY/);
    expect([map.get('cursor'), map.get('new')]).toEqual(['41', undefined]);
    expect([inFile('cursor'), inFile('new')]).toEqual(['41', undefined]);
  });

  it('deletes a row', () => {
    const { map, inFile, run } = mapOverTable();
    run(() => map.set('a', '1'));
    run(() => map.set('a', undefined));
    expect(map.get('a')).toBeUndefined();
    expect(inFile('a')).toBeUndefined();
  });

  it('inside a transaction opened elsewhere, writes through and remembers nothing that could be rolled back', () => {
    const { db, map, inFile } = mapOverTable();
    expect(() =>
      db.transaction(() => {
        map.set('a', 'uncommitted');
        expect(map.get('a')).toBe('uncommitted');
        throw new Error('rolled back elsewhere');
      })(),
    ).toThrow('rolled back elsewhere');
    expect(inFile('a')).toBeUndefined();
    expect(map.get('a')).toBeUndefined();
  });

  it('keeps the rows used last up to its capacity and reads older ones from the file again', () => {
    const { map, io, run } = mapOverTable(2);
    run(() => ['a', 'b', 'c'].forEach((k) => map.set(k, k.toUpperCase())));
    expect(io.reads).toBe(0);
    expect(map.get('c')).toBe('C');
    expect(map.get('b')).toBe('B');
    expect(io.reads).toBe(0);
    expect(map.get('a')).toBe('A');
    expect(io.reads).toBe(1);
  });
});

describe('a flat transaction', () => {
  it('keeps everything when nothing nested in it fails, without a savepoint each', () => {
    const { db, map, inFile, run } = mapOverTable();
    transactionsOf(db).run(
      () => {
        run(() => map.set('a', '1'));
        run(() => map.set('b', '2'));
      },
      { flat: true },
    );
    expect([inFile('a'), inFile('b')]).toEqual(['1', '2']);
  });

  it('keeps nothing when nested work failed, even if its caller caught the failure, and says so', () => {
    const { db, map, inFile, run } = mapOverTable();
    const attempt = () =>
      transactionsOf(db).run(
        () => {
          run(() => map.set('a', 'lost'));
          try {
            run(() => {
              map.set('b', 'lost');
              throw new Error('a rule threw');
            });
          } catch {
            // the caller goes on, as ingest does with the rest of a group
          }
          run(() => map.set('c', 'lost'));
        },
        { flat: true },
      );
    expect(attempt).toThrow(NestedWorkFailed);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([undefined, undefined, undefined]);
    expect([inFile('a'), inFile('b'), inFile('c')]).toEqual([undefined, undefined, undefined]);
    // The next transaction is an ordinary one again.
    run(() => map.set('a', 'kept'));
    expect(inFile('a')).toBe('kept');
  });
});

import { describe, expect, it } from 'vitest';
import { AuditLog } from './audit-log.js';
import { openDatabase } from './database.js';

describe('AuditLog', () => {
  it('keeps entries newest first, filters them, and refuses to change or delete any', () => {
    const db = openDatabase(':memory:');
    const log = new AuditLog(db);
    log.record({ at: 1000, actor: 'staff', action: 'home.view', homeId: 'h1' });
    log.record({ at: 2000, actor: 'tanaka', action: 'alert.view', homeId: 'h1', subject: 'a_1' });
    log.record({ at: 3000, actor: 'staff', action: 'network.update', homeId: 'h2', detail: { reason: '交代' } });

    expect(log.list({ limit: 10 }).map((e) => e.action)).toEqual(['network.update', 'alert.view', 'home.view']);
    expect(log.list({ homeId: 'h1', limit: 10 }).map((e) => e.actor)).toEqual(['tanaka', 'staff']);
    expect(log.list({ actor: 'staff', from: 2000, limit: 10 })).toEqual([
      {
        id: 3,
        at: new Date(3000).toISOString(),
        actor: 'staff',
        action: 'network.update',
        homeId: 'h2',
        subject: null,
        detail: { reason: '交代' },
      },
    ]);
    expect(log.list({ before: 3, limit: 1 }).map((e) => e.id)).toEqual([2]);
    expect(() => db.prepare("UPDATE audit_log SET actor = 'someone-else'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(log.list({ limit: 10 })).toHaveLength(3);
  });

  it('chains every row to the one before, so a row changed, removed or slipped in behind the triggers is found', () => {
    const db = openDatabase(':memory:');
    const log = new AuditLog(db);
    for (let i = 1; i <= 5; i++) log.record({ at: i * 1000, actor: 'staff', action: 'home.view', homeId: `h${i}` });
    const intact = log.verify();
    expect(intact).toMatchObject({ rows: 5, unchained: 0, brokenAt: undefined });
    expect(intact.head).toMatch(/^[0-9a-f]{64}$/);

    // Someone with the file drops the guard and edits history.
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    db.prepare("UPDATE audit_log SET actor = 'nobody' WHERE id = 3").run();
    expect(log.verify().brokenAt).toBe(3);
    db.prepare("UPDATE audit_log SET actor = 'staff' WHERE id = 3").run();
    expect(log.verify().brokenAt).toBeUndefined();
    db.prepare('DELETE FROM audit_log WHERE id = 2').run();
    expect(log.verify().brokenAt).toBe(3);
  });

  it('starts the chain after rows an older hub wrote without hashes', () => {
    const db = openDatabase(':memory:');
    db.prepare("INSERT INTO audit_log (at, actor, action) VALUES (1, 'staff', 'home.view')").run();
    const log = new AuditLog(db);
    log.record({ at: 2, actor: 'staff', action: 'home.view' });
    expect(log.verify()).toMatchObject({ rows: 2, unchained: 1, brokenAt: undefined });
  });
});

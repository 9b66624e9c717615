import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AuditLog, openDatabase } from '../hub/src/store/index.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../hub/dist/main.js', import.meta.url));

/** Runs `mimamori-hub verify-audit` on a data dir; its exit code and what it printed. */
async function verify(dataDir: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [MAIN, 'verify-audit'], {
      env: { PATH: process.env.PATH ?? '', MIMAMORI_DATA_DIR: dataDir, MIMAMORI_MODE: 'demo' },
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, out: failed.stdout };
  }
}

describe('mimamori-hub verify-audit', () => {
  it('says the log is intact and prints its head, and names the row someone changed behind the database’s back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mimamori-audit-'));
    const db = openDatabase(join(dataDir, 'mimamori.sqlite'));
    const log = new AuditLog(db);
    for (const actor of ['staff', 'tanaka', 'staff'])
      log.record({ at: Date.now(), actor, action: 'home.view', homeId: 'h1' });

    const intact = await verify(dataDir);
    expect(intact.code).toBe(0);
    expect(intact.out).toContain(`The audit log is intact: 3 rows. Head: ${log.head()}`);

    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET actor = 'someone' WHERE id = 2").run();
    db.close();
    const tampered = await verify(dataDir);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain('row 2 does not follow from the rows before it');
  });
});

import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { AuditLog, openReadOnly } from '../store/index.js';

/**
 * `mimamori-hub verify-audit`: walks the audit log's hash chain (it may run while the hub
 * runs) and prints the head hash to keep elsewhere. Exit code 0 when the chain is whole, 1 when
 * a row was changed, removed or inserted.
 */
export function runVerifyAuditCommand(deps: { config: Config; out: (line: string) => void }): number {
  const db = openReadOnly(join(deps.config.dataDir, 'mimamori.sqlite'));
  try {
    const result = new AuditLog(db).verify();
    const before = result.unchained > 0 ? ` (${result.unchained} older rows predate the chain)` : '';
    if (result.brokenAt !== undefined) {
      deps.out(
        `The audit log has been tampered with: row ${result.brokenAt} does not follow from the rows before it. ${result.rows} rows read${before}.`,
      );
      return 1;
    }
    deps.out(`The audit log is intact: ${result.rows} rows${before}. Head: ${result.head ?? '(empty)'}`);
    return 0;
  } finally {
    db.close();
  }
}

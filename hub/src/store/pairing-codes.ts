import type { Db } from './database.js';

/** What a code said to the skill turns out to be. */
export type CodeLookup =
  { kind: 'valid'; homeId: string } | { kind: 'unknown' } | { kind: 'expired' } | { kind: 'used' };

/** One-time codes staff issue to pair an Echo to a home (docs/speakers.md, Alexa). */
export class PairingCodeRepository {
  constructor(private readonly db: Db) {}

  /** Stores a new code; false when the code is still taken (unexpired), so the caller draws another. */
  issue(code: { code: string; homeId: string; issuedBy: string; issuedAt: number; expiresAt: number }): boolean {
    // Codes expired for a day are forgotten, so their numbers can be drawn again; the audit log keeps the issue.
    this.db.prepare('DELETE FROM alexa_pairing_codes WHERE expires_at < ?').run(code.issuedAt - 86_400_000);
    const taken = this.db.prepare('SELECT 1 FROM alexa_pairing_codes WHERE code = ?').get(code.code);
    if (taken) return false;
    this.db
      .prepare(
        'INSERT INTO alexa_pairing_codes (code, home_id, issued_by, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(code.code, code.homeId, code.issuedBy, code.issuedAt, code.expiresAt);
    return true;
  }

  lookup(code: string, now: number): CodeLookup {
    const row = this.db
      .prepare('SELECT home_id, expires_at, used_at FROM alexa_pairing_codes WHERE code = ?')
      .get(code) as { home_id: string; expires_at: number; used_at: number | null } | undefined;
    if (!row) return { kind: 'unknown' };
    if (row.used_at !== null) return { kind: 'used' };
    if (row.expires_at <= now) return { kind: 'expired' };
    return { kind: 'valid', homeId: row.home_id };
  }

  /** Marks the code used by the Echo paired with it; false when it was used meanwhile. */
  use(code: string, deviceId: string, now: number): boolean {
    return (
      this.db
        .prepare('UPDATE alexa_pairing_codes SET used_at = ?, device_id = ? WHERE code = ? AND used_at IS NULL')
        .run(now, deviceId, code).changes > 0
    );
  }
}

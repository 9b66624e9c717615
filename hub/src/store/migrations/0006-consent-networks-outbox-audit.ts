import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0006-consent-networks-outbox-audit',
  sql: `
  -- What the resident agreed watchers may see, and what the person at the door needs to know.
  ALTER TABLE homes ADD COLUMN consent TEXT;
  ALTER TABLE homes ADD COLUMN response_plan TEXT;
  -- Watchers: how to reach them and what the speaker calls them.
  ALTER TABLE users ADD COLUMN email TEXT;
  ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'ja';
  ALTER TABLE users ADD COLUMN affiliation TEXT;
  ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
  CREATE TABLE push_subscriptions (
    endpoint TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX push_subscriptions_user ON push_subscriptions(user_id);
  -- A home's network as staff wrote it, and who is in it (which homes a watcher may see).
  CREATE TABLE networks (
    home_id TEXT PRIMARY KEY REFERENCES homes(id) ON DELETE CASCADE,
    config TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
  );
  CREATE TABLE network_members (
    home_id TEXT NOT NULL REFERENCES homes(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    tier INTEGER NOT NULL,
    PRIMARY KEY (home_id, tier, user_id)
  );
  CREATE INDEX network_members_user ON network_members(user_id);
  -- Where each alert's escalation stands; next_step_at feeds the deadline scheduler after a restart.
  ALTER TABLE alerts ADD COLUMN escalation TEXT;
  ALTER TABLE alerts ADD COLUMN next_step_at INTEGER;
  CREATE INDEX alerts_next_step ON alerts(next_step_at) WHERE next_step_at IS NOT NULL;
  -- One outbox row per (transition, recipient, channel); the key makes queueing idempotent and lets receivers dedupe.
  ALTER TABLE outbox ADD COLUMN recipient TEXT;
  ALTER TABLE outbox ADD COLUMN dedup_key TEXT;
  CREATE UNIQUE INDEX outbox_dedup ON outbox(dedup_key);
  -- Who saw which home's personal data, and who changed what. Append-only, enforced here.
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    home_id TEXT,
    subject TEXT,
    detail TEXT
  );
  CREATE INDEX audit_log_at ON audit_log(at);
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  `,
};

/** The `hub_state` key of the registry version (see the migration that creates it). */
export const REGISTRY_VERSION_KEY = 'registry_version';

function bumpRegistryVersion(table: string, change: string): string {
  const name = `${table}_${change.split(' ')[0]?.toLowerCase()}_bumps_registry`;
  return `CREATE TRIGGER ${name} AFTER ${change} ON ${table} BEGIN UPDATE hub_state SET value = value + 1 WHERE key = '${REGISTRY_VERSION_KEY}'; END;`;
}

/**
 * Schema migrations in order; never edit one that has shipped, append a new one.
 * Times are epoch milliseconds (UTC); JSON columns hold validated shapes only.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE homes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    address TEXT,
    district TEXT,
    timezone TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE residents (
    id TEXT PRIMARY KEY,
    home_id TEXT NOT NULL REFERENCES homes(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    language TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX residents_home ON residents(home_id);
  CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    home_id TEXT NOT NULL REFERENCES homes(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT,
    secret_hash TEXT,
    credentials_issued_at INTEGER,
    online INTEGER NOT NULL DEFAULT 0,
    last_seen_at INTEGER,
    battery REAL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX devices_home ON devices(home_id);
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    home_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    type TEXT NOT NULL,
    ts INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (device_id, event_id)
  );
  CREATE INDEX events_home_ts ON events(home_id, ts);
  CREATE TABLE cursors (
    name TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
  );
  CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    home_id TEXT NOT NULL REFERENCES homes(id) ON DELETE CASCADE,
    resident_id TEXT,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    message_ja TEXT NOT NULL,
    message_en TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    fire_count INTEGER NOT NULL,
    source_event_seq INTEGER
  );
  -- One open alert per home and rule: a repeat firing updates it instead of opening another.
  CREATE UNIQUE INDEX alerts_one_open ON alerts(home_id, rule) WHERE status IN ('open', 'acknowledged');
  CREATE INDEX alerts_opened ON alerts(opened_at);
  CREATE TABLE alert_timeline (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT,
    detail TEXT
  );
  CREATE INDEX alert_timeline_alert ON alert_timeline(alert_id);
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    target TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    delivered_at INTEGER
  );
  CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
  `,
  `
  ALTER TABLE residents ADD COLUMN miss_tolerance INTEGER NOT NULL DEFAULT 1;
  CREATE TABLE checkin_schedules (
    id TEXT PRIMARY KEY,
    resident_id TEXT NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
    home_id TEXT NOT NULL REFERENCES homes(id) ON DELETE CASCADE,
    spec TEXT NOT NULL, -- JSON: cron, timezone, window, re-prompts, items, satisfiedBy, pausedUntil…
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX checkin_schedules_resident ON checkin_schedules(resident_id);
  -- One row per scheduled check-in, written when it falls due; its id is the promptId.
  CREATE TABLE checkins (
    id TEXT PRIMARY KEY,
    schedule_id TEXT NOT NULL REFERENCES checkin_schedules(id) ON DELETE CASCADE,
    resident_id TEXT NOT NULL,
    home_id TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    started_at INTEGER NOT NULL, -- when the prompt ladder began (later than due_at after a hub outage)
    outcome TEXT NOT NULL,
    prompts_sent INTEGER NOT NULL DEFAULT 0,
    answer TEXT,
    items TEXT,
    answered_at INTEGER,
    late_answer_at INTEGER,
    satisfied_by TEXT,
    detected_late TEXT,
    closed_at INTEGER
  );
  CREATE UNIQUE INDEX checkins_schedule_due ON checkins(schedule_id, due_at);
  CREATE INDEX checkins_resident_due ON checkins(resident_id, due_at);
  CREATE INDEX checkins_pending ON checkins(outcome) WHERE outcome = 'pending';
  CREATE TABLE absences (
    id TEXT PRIMARY KEY,
    home_id TEXT NOT NULL REFERENCES homes(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    note TEXT,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_by TEXT,
    updated_at INTEGER NOT NULL,
    reminded_at INTEGER,
    CHECK (ends_at > starts_at)
  );
  CREATE INDEX absences_home_end ON absences(home_id, ends_at);
  CREATE INDEX absences_end ON absences(ends_at);
  -- Small facts about the hub itself, such as when it was last known to be running.
  CREATE TABLE hub_state (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  );
  `,
  `
  -- The rule catalogue as staff configured it; every change is a new version with a reason.
  CREATE TABLE rules (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    severity TEXT NOT NULL,
    params TEXT NOT NULL,
    active_hours TEXT,
    scope TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
  );
  CREATE TABLE rule_overrides (
    rule_id TEXT NOT NULL REFERENCES rules(id) ON DELETE CASCADE,
    home_id TEXT NOT NULL REFERENCES homes(id) ON DELETE CASCADE,
    enabled INTEGER,
    params TEXT NOT NULL,
    PRIMARY KEY (rule_id, home_id)
  );
  CREATE TABLE rule_versions (
    rule_id TEXT NOT NULL REFERENCES rules(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    changed_by TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (rule_id, version)
  );
  -- What each rule remembers about each home, and when it next wants to look without an event.
  CREATE TABLE rule_state (
    rule_id TEXT NOT NULL,
    home_id TEXT NOT NULL,
    state TEXT NOT NULL,
    wake_at INTEGER,
    PRIMARY KEY (rule_id, home_id)
  );
  CREATE TABLE baselines (
    home_id TEXT PRIMARY KEY REFERENCES homes(id) ON DELETE CASCADE,
    computed_at INTEGER NOT NULL,
    days TEXT NOT NULL
  );
  `,
  `
  -- A sensor paired with a home's Zigbee2MQTT gateway is known there by its friendly name.
  ALTER TABLE devices ADD COLUMN z2m_name TEXT;
  CREATE UNIQUE INDEX devices_z2m_name ON devices(home_id, z2m_name) WHERE z2m_name IS NOT NULL;
  `,
  `
  -- Who went ("向かいます"), when it ended and how.
  ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT;
  ALTER TABLE alerts ADD COLUMN acknowledged_at INTEGER;
  ALTER TABLE alerts ADD COLUMN resolved_at INTEGER;
  ALTER TABLE alerts ADD COLUMN outcome TEXT;
  ALTER TABLE alerts ADD COLUMN note TEXT;
  `,
  `
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
  `
  -- The same device secret hashed as Mosquitto's password file wants it ($7$, PBKDF2-SHA512), for
  -- the external broker mode: the hub sees the secret only when it issues it.
  ALTER TABLE devices ADD COLUMN broker_secret_hash TEXT;
  `,
  `
  -- A counter bumped by every change to what the rules engine knows of a home (its record,
  -- residents, devices, absences, baseline), so the engine can keep those facts in memory and
  -- reread them only after a change, whoever made it (the API, an import, the baseline job).
  INSERT INTO hub_state (key, value) VALUES ('${REGISTRY_VERSION_KEY}', 0);
  ${['homes', 'residents', 'absences', 'baselines'].flatMap((table) => ['INSERT', 'UPDATE', 'DELETE'].map((change) => bumpRegistryVersion(table, change))).join('\n  ')}
  ${bumpRegistryVersion('devices', 'INSERT')}
  ${bumpRegistryVersion('devices', 'DELETE')}
  ${bumpRegistryVersion('devices', 'UPDATE OF id, home_id, kind')}
  `,
  `
  -- Each audit row's SHA-256 over the previous row's hash and its own content (AuditLog.verify).
  ALTER TABLE audit_log ADD COLUMN hash TEXT;
  `,
];

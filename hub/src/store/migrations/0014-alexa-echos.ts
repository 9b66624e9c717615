import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0014-alexa-echos',
  sql: `
  -- Echos paired to a home through the Alexa skill (issue 22, docs/speakers.md, Alexa): the hub device that
  -- stands for the Echo, Alexa's ids for it, where its account's Alexa APIs are, and whether the
  -- resident let the skill set reminders. An Echo is paired once; a home may have several.
  CREATE TABLE alexa_echos (
    device_id TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
    alexa_device_id TEXT NOT NULL UNIQUE,
    alexa_user_id TEXT NOT NULL,
    api_endpoint TEXT NOT NULL,
    locale TEXT NOT NULL,
    reminders_granted INTEGER NOT NULL DEFAULT 0,
    permission_asked_at INTEGER,
    paired_at INTEGER NOT NULL
  );
  CREATE INDEX alexa_echos_user ON alexa_echos(alexa_user_id);

  -- One-time codes staff issue to pair an Echo to a home: said once to the skill, then used.
  CREATE TABLE alexa_pairing_codes (
    code TEXT PRIMARY KEY,
    home_id TEXT NOT NULL REFERENCES homes(id) ON DELETE CASCADE,
    issued_by TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    device_id TEXT
  );

  -- What waits for the resident to open the skill, since an Echo cannot speak unprompted: the
  -- hub's prompt and announce commands (JSON, the contract's shape), until answered, withdrawn
  -- or expired, with the Alexa reminder made for each where the resident allowed reminders.
  CREATE TABLE alexa_pending (
    device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('prompt', 'announce')),
    command TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    reminder TEXT,
    PRIMARY KEY (device_id, key)
  );
  `,
};

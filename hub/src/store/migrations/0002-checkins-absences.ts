import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0002-checkins-absences',
  sql: `
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
};

import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0018-incidents',
  sql: `
  -- One incident per home (issue 18.4): the alert that leads an incident names itself, each
  -- further reason names the lead; an alert of its own (an SOS) names none. condition_over_at:
  -- the lead's own condition is over while other reasons still hold the incident open.
  ALTER TABLE alerts ADD COLUMN incident_id TEXT REFERENCES alerts(id);
  ALTER TABLE alerts ADD COLUMN condition_over_at INTEGER;
  CREATE INDEX alerts_incident ON alerts(incident_id) WHERE incident_id IS NOT NULL;
  `,
};

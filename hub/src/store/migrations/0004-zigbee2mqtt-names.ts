import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0004-zigbee2mqtt-names',
  sql: `
  -- A sensor paired with a home's Zigbee2MQTT gateway is known there by its friendly name.
  ALTER TABLE devices ADD COLUMN z2m_name TEXT;
  CREATE UNIQUE INDEX devices_z2m_name ON devices(home_id, z2m_name) WHERE z2m_name IS NOT NULL;
  `,
};

import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0007-mosquitto-password-hashes',
  sql: `
  -- The same device secret hashed as Mosquitto's password file wants it ($7$, PBKDF2-SHA512), for
  -- the external broker mode: the hub sees the secret only when it issues it.
  ALTER TABLE devices ADD COLUMN broker_secret_hash TEXT;
  `,
};

import { REGISTRY_VERSION_KEY, bumpRegistryVersion } from './registry-version.js';
import type { Migration } from './migration.js';

export const migration: Migration = {
  name: '0008-registry-version',
  sql: `
  -- A counter bumped by every change to what the rules engine knows of a home (its record,
  -- residents, devices, absences, baseline), so the engine can keep those facts in memory and
  -- reread them only after a change, whoever made it (the API, an import, the baseline job).
  INSERT INTO hub_state (key, value) VALUES ('${REGISTRY_VERSION_KEY}', 0);
  ${['homes', 'residents', 'absences', 'baselines'].flatMap((table) => ['INSERT', 'UPDATE', 'DELETE'].map((change) => bumpRegistryVersion(table, change))).join('\n  ')}
  ${bumpRegistryVersion('devices', 'INSERT')}
  ${bumpRegistryVersion('devices', 'DELETE')}
  ${bumpRegistryVersion('devices', 'UPDATE OF id, home_id, kind')}
  `,
};

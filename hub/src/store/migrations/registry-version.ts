/** The `hub_state` key of the registry version (see migration 0008 that creates it). */
export const REGISTRY_VERSION_KEY = 'registry_version';

/** A trigger that bumps the registry version on a change to a table the rules engine caches. */
export function bumpRegistryVersion(table: string, change: string): string {
  const name = `${table}_${change.split(' ')[0]?.toLowerCase()}_bumps_registry`;
  return `CREATE TRIGGER ${name} AFTER ${change} ON ${table} BEGIN UPDATE hub_state SET value = value + 1 WHERE key = '${REGISTRY_VERSION_KEY}'; END;`;
}

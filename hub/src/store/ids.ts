import { randomBytes } from 'node:crypto';

/** A short random id with a readable prefix (`h_…` home, `d_…` device); valid as an MQTT topic level. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

export class IdTakenError extends Error {
  constructor(
    readonly id: string,
    readonly what = 'id',
  ) {
    super(`the ${what} ${id} is already taken`);
  }
}

/** Runs an INSERT keyed by `id`, turning a primary-key clash into an `IdTakenError`. */
export function insertWithId(id: string, insert: () => unknown): void {
  try {
    insert();
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new IdTakenError(id);
    throw error;
  }
}

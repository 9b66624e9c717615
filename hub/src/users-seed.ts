import type { Role } from '@mimamori/contract';
import type { Logger } from 'pino';
import { hashPassword } from './auth/index.js';
import type { Config } from './config/index.js';
import type { Component } from './lifecycle/index.js';
import type { UserRepository } from './store/index.js';
import type { Clock } from './time/index.js';

export interface SeedUser {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  /** Said on the speaker with the name (民生委員). */
  affiliation?: string;
}

/**
 * Creates each user that does not exist yet; an existing user (and a password changed since)
 * is left alone, so restarting with the same settings never resets anything.
 */
export async function seedUsers(
  users: UserRepository,
  seeds: readonly SeedUser[],
  now: number,
  logger: Logger,
): Promise<void> {
  for (const seed of seeds) {
    if (users.byUsername(seed.username)) continue;
    users.create(
      {
        username: seed.username,
        displayName: seed.displayName,
        role: seed.role,
        affiliation: seed.affiliation,
        passwordHash: await hashPassword(seed.password),
      },
      now,
    );
    logger.info({ username: seed.username, role: seed.role }, 'user created');
  }
}

/** Demo logins, printed by the demo; the hub creates them only in demo mode. */
export const DEMO_USERS: readonly SeedUser[] = [
  { username: 'admin', password: 'mimamori-demo-admin', displayName: '管理者（デモ）', role: 'admin' },
  { username: 'staff', password: 'mimamori-demo-staff', displayName: '社協 職員（デモ）', role: 'staff' },
  {
    username: 'volunteer',
    password: 'mimamori-demo-volunteer',
    displayName: '田中 一郎',
    role: 'volunteer',
    affiliation: '民生委員',
  },
];

/** At start, the demo logins (demo mode only) and the configured admin, each unless it exists. */
export function usersComponent(
  users: UserRepository,
  config: Pick<Config, 'mode' | 'admin'>,
  clock: Clock,
  logger: Logger,
): Component {
  const { mode, admin } = config;
  const seeds: SeedUser[] = mode === 'demo' ? [...DEMO_USERS] : [];
  if (admin.username && admin.password) {
    seeds.push({ username: admin.username, password: admin.password, displayName: admin.username, role: 'admin' });
  }
  return { name: 'users', start: () => seedUsers(users, seeds, clock.now(), logger) };
}

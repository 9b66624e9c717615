import type { Alert, Home, User } from '@mimamori/contract';
import { visibleMessage } from '../notify/index.js';
import { ApiError } from './errors.js';
import type { ApiServices } from './session.js';

/** Staff and admins see every home; a volunteer or family member only the homes whose network lists them. */
export function canSeeHome(services: Pick<ApiServices, 'networks'>, user: User, homeId: string): boolean {
  return user.role === 'admin' || user.role === 'staff' || services.networks.isMember(homeId, user.id);
}

/**
 * Refuses a home outside the user's network with 403 (after the caller checked it exists), and
 * writes the refusal to the audit log (`access.refused`, issue 23): someone probing for
 * residents outside their network shows there, not only the reads that succeeded.
 */
export function requireHomeAccess(
  services: Pick<ApiServices, 'networks' | 'audit' | 'clock'>,
  user: User,
  homeId: string,
): void {
  if (canSeeHome(services, user, homeId)) return;
  services.audit.record({ at: services.clock.now(), actor: user.username, action: 'access.refused', homeId });
  throw ApiError.of('home_not_in_network', {});
}

/** Whether the user may read a home's health detail (check-in answers, why someone is away): staff always, a watcher with the resident's consent. */
export function canSeeHealth(user: User, home: Pick<Home, 'consent'>): boolean {
  return user.role === 'admin' || user.role === 'staff' || home.consent.health;
}

/** An alert in the words this user may read: staff whole, a watcher as the home's consent allows. */
export function alertAsSeenBy<A extends Alert>(
  services: Pick<ApiServices, 'homes' | 'ruleTypeOf'>,
  user: User,
  alert: A,
): A {
  const home = services.homes.get(alert.homeId);
  return home ? { ...alert, message: visibleMessage(alert, services.ruleTypeOf(alert.rule), home, user.role) } : alert;
}

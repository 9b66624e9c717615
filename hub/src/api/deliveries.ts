import type { AlertDelivery } from '@mimamori/contract';
import type { ApiServices } from './session.js';

/**
 * An alert's notifications for staff: who was told by which channel, how it went, the last
 * error. A push subscription's keys and a webhook's path (which may carry a token) never leave
 * the hub: push shows no address, a webhook its host.
 */
export function deliveriesOf(services: Pick<ApiServices, 'outbox' | 'users'>, alertId: string): AlertDelivery[] {
  return services.outbox.forAlert(alertId).map((d) => ({
    channel: d.channel,
    recipient: d.recipient === null ? null : (services.users.get(d.recipient)?.displayName ?? null),
    to: d.channel === 'email' ? d.target : d.channel === 'webhook' ? hostOf(d.target) : null,
    status: d.status,
    attempts: d.attempts,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt === null ? null : new Date(d.nextAttemptAt).toISOString(),
    deliveredAt: d.deliveredAt === null ? null : new Date(d.deliveredAt).toISOString(),
  }));
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

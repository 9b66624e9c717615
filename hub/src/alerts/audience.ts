import type { WebhookConfig } from '../config/index.js';
import type { StoredNetwork } from '../store/index.js';

/** Who hears of one transition: users (reached by their own channels) and webhooks. */
export interface Audience {
  userIds: string[];
  webhookUrls: string[];
}

/**
 * The watchers and webhooks of the given tiers, plus every webhook that hears all alerts (a
 * staff bridge). A home without a network reaches only those. Pure.
 */
export function audienceOf(
  network: Pick<StoredNetwork, 'tiers'> | undefined,
  tiers: readonly number[],
  webhooks: readonly WebhookConfig[],
): Audience {
  const chosen = network ? tiers.flatMap((index) => network.tiers[index] ?? []) : [];
  const named = new Set(chosen.flatMap((tier) => tier.webhooks));
  return {
    userIds: [...new Set(chosen.flatMap((tier) => tier.watchers))],
    webhookUrls: webhooks
      .filter((hook) => !hook.tiersOnly || (hook.name !== undefined && named.has(hook.name)))
      .map((hook) => hook.url),
  };
}

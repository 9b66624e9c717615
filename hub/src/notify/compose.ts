import type { RuleType } from '@mimamori/contract';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Component } from '../lifecycle/index.js';
import type { Metrics } from '../metrics/index.js';
import type { SpeakerOutlet } from '../ports/index.js';
import type { Stores } from '../store/index.js';
import type { Clock } from '../time/index.js';
import { CHANNELS, vapidKeys } from './channels/index.js';
import { NotificationQueue } from './notification-queue.js';
import { Notifier } from './notifier.js';

export interface NotifyDeps {
  settings: Config['notify'];
  /** Where the Web Push keys are kept when none are configured. */
  dataDir: string;
  stores: Pick<Stores, 'outbox' | 'alerts' | 'homes' | 'users'>;
  speakers: Pick<SpeakerOutlet, 'announce'>;
  ruleTypeOf: (ruleId: string) => RuleType | undefined;
  /** The dashboard's address; messages link to the alert there. */
  publicUrl: () => string;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
}

export interface Notify {
  /** Turns alert transitions into outbox rows, inside their transaction. */
  queue: NotificationQueue;
  /** The key browsers subscribe to Web Push with. */
  vapidPublicKey: string;
  /** Delivers the outbox while started. */
  component: Component;
}

/** The outbox, its worker and every channel this configuration can reach people by. */
export function composeNotify(deps: NotifyDeps): Notify {
  const { settings, stores, clock, metrics } = deps;
  const logger = deps.logger.child({ module: 'notify' });
  const vapid = vapidKeys(deps.dataDir, settings.vapid);
  const context = {
    settings,
    vapid,
    users: stores.users,
    speakers: deps.speakers,
    timeoutMs: settings.timeoutSeconds * 1000,
  };
  const configured = CHANNELS.flatMap((definition) => {
    const channel = definition.create(context);
    return channel ? [{ definition, channel }] : [];
  });
  const channels = configured.map((c) => c.channel);
  const notifier = new Notifier({
    outbox: stores.outbox,
    channels,
    clock,
    retryMinMs: settings.retryMinSeconds * 1000,
    retryMaxMs: settings.retryMaxSeconds * 1000,
    metrics,
    logger,
  });
  const queue = new NotificationQueue({
    repository: stores.alerts,
    homes: stores.homes,
    users: stores.users,
    ruleTypeOf: deps.ruleTypeOf,
    personal: configured.flatMap(({ definition: { name, addressesOf } }) =>
      addressesOf ? [{ name, addressesOf }] : [],
    ),
    publicUrl: deps.publicUrl,
    onQueued: () => notifier.wake(),
    metrics,
    logger,
  });
  return {
    queue,
    vapidPublicKey: vapid.publicKey,
    component: {
      name: 'notifier',
      start: () => notifier.start(),
      stop: async () => {
        await notifier.stop();
        for (const channel of channels) channel.close?.();
      },
    },
  };
}

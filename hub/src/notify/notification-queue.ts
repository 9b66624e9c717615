import type { Alert, Language, RuleType } from '@mimamori/contract';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/index.js';
import type { AlertRepository, HomeRepository, UserRepository } from '../store/index.js';
import type { ChannelDefinition } from './channels/index.js';
import type { DeliveryPayload } from './delivery.js';
import { renderMessage, type MessageFacts, type TransitionEvent } from './messages.js';

/** One alert transition to tell: the timeline entry it was recorded as, and its facts. */
export interface Transition {
  alert: Alert;
  /** The timeline entry's id: part of every delivery's dedup key. */
  transition: number;
  event: TransitionEvent;
  actor?: { displayName: string; affiliation: string | null } | undefined;
  reason?: { ja: string; en: string } | undefined;
}

export interface NotificationQueueDeps {
  repository: Pick<AlertRepository, 'queueDelivery'>;
  homes: Pick<HomeRepository, 'get'>;
  users: Pick<UserRepository, 'contact'>;
  ruleTypeOf: (ruleId: string) => RuleType | undefined;
  /** The set-up channels that reach a person at one of their addresses (e-mail, Web Push, …). */
  personal: readonly Pick<Required<ChannelDefinition>, 'name' | 'addressesOf'>[];
  /** The dashboard's address; messages link to the alert there. */
  publicUrl: () => string;
  /** Called after deliveries are queued; the notifier picks them up once the transaction commits. */
  onQueued: () => void;
  metrics: Metrics;
  logger: Logger;
}

/**
 * Turns a transition and its audience into outbox rows: one per recipient and channel, each
 * message rendered for that recipient (language, consent). Called inside the transition's
 * transaction, so nothing is sent that was not recorded, and nothing recorded goes untold.
 */
export class NotificationQueue {
  /** When each unreachable watcher was last warned about, so the log says it once a day, not once per alert. */
  readonly #warnedAt = new Map<string, number>();

  constructor(private readonly deps: NotificationQueueDeps) {}

  queue(
    t: Transition,
    audience: {
      userIds: readonly string[];
      webhookUrls: readonly string[];
      announce?: { text: string; lang: Language };
    },
    now: number,
  ): void {
    const { repository } = this.deps;
    const home = this.deps.homes.get(t.alert.homeId);
    if (!home) return;
    const link = `${this.deps.publicUrl().replace(/\/$/, '')}/#/alerts/${t.alert.id}`;
    const facts: MessageFacts = {
      event: t.event,
      alert: t.alert,
      ruleType: this.deps.ruleTypeOf(t.alert.rule),
      home,
      actor: t.actor,
      reason: t.reason,
      link,
    };
    const queue = (channel: string, target: string, recipient: string | undefined, payload: DeliveryPayload) =>
      repository.queueDelivery(
        t.alert.id,
        { transition: t.transition, channel, target, recipient, payload: JSON.stringify(payload) },
        now,
      );

    let queued = 0;
    for (const userId of audience.userIds) {
      const contact = this.deps.users.contact(userId);
      if (!contact) continue;
      const payload: DeliveryPayload = { event: t.event, message: renderMessage(facts, contact.user), link };
      let reached = 0;
      for (const channel of this.deps.personal) {
        for (const address of channel.addressesOf(contact)) {
          queue(channel.name, address, userId, payload);
          reached += 1;
        }
      }
      if (reached === 0) this.#unreachable(userId, t.alert.id, now);
      queued += reached;
    }
    // Bridges are set up by the operator for staff groups: they get the staff wording.
    const staffPayload: DeliveryPayload = {
      event: t.event,
      message: renderMessage(facts, { role: 'staff', language: 'ja' }),
      link,
      alert: t.alert,
      home: { id: home.id, name: home.name, district: home.district },
    };
    for (const url of audience.webhookUrls) queue('webhook', url, undefined, staffPayload);
    queued += audience.webhookUrls.length;
    if (audience.announce) {
      queue('speaker', home.id, undefined, { ...staffPayload, announce: audience.announce });
      queued += 1;
    }
    if (queued > 0) this.deps.onQueued();
  }

  /** A watcher who was to be told but has no address on any channel: counted each time, logged once a day. */
  #unreachable(userId: string, alertId: string, now: number): void {
    this.deps.metrics.unreachableWatchers.inc();
    if (now - (this.#warnedAt.get(userId) ?? -Infinity) < DAY) return;
    this.#warnedAt.set(userId, now);
    this.deps.logger.warn(
      { alertId, userId },
      'a watcher has no address on any channel (no e-mail, no push subscription) and cannot be told; said once a day per watcher',
    );
  }
}

const DAY = 24 * 60 * 60_000;

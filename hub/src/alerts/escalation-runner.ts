import type { Logger } from 'pino';
import type { Alert } from '@mimamori/contract';
import type { WebhookConfig } from '../config/index.js';
import type { DeadlineAction, DeadlineScheduler } from '../deadlines/index.js';
import type { Metrics } from '../metrics/index.js';
import type { NotificationQueue, TransitionEvent } from '../notify/index.js';
import type { ClearAlert } from '../ports/index.js';
import type {
  AlertRepository,
  HomeRepository,
  NetworkRepository,
  StoredNetwork,
  UserRepository,
} from '../store/index.js';
import type { Clock } from '../time/index.js';
import { localMinuteOfDay } from '../time/local-time.js';
import type { AlertFeed } from './alert-feed.js';
import { audienceOf } from './audience.js';
import { escalationState, next, stopped, type EscalationState, type EscalationStep } from './escalation.js';
import type { Actor } from './lifecycle.js';

const stepKey = (alertId: string) => `escalation:${alertId}`;

export interface EscalationRunnerDeps {
  repository: AlertRepository;
  homes: Pick<HomeRepository, 'get'>;
  networks: Pick<NetworkRepository, 'get'>;
  users: Pick<UserRepository, 'byUsername'>;
  notifications: Pick<NotificationQueue, 'queue'>;
  webhooks: readonly WebhookConfig[];
  deadlines: DeadlineScheduler<DeadlineAction>;
  feed: Pick<AlertFeed, 'publishAfterCommit'>;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
}

/** What a transition says besides the alert: who acted, why it cleared, what the speaker says, one recipient. */
export interface TellExtra {
  actor?: Actor | undefined;
  reason?: ClearAlert['reason'] | undefined;
  announce?: { text: string; lang: 'ja' | 'en' } | undefined;
  onlyUser?: string | undefined;
}

/**
 * Each alert's escalation as it runs: its stored state, the deadline of its next step, the step
 * when it falls due (the next tier, or a reminder), and telling the tiers a transition concerns.
 * `escalation.ts` decides each step (pure); this carries it out inside the alert's transaction,
 * and keeps the next step's time in the alert row so a restart resumes it (`resume`).
 */
export class EscalationRunner {
  constructor(private readonly deps: EscalationRunnerDeps) {}

  network(homeId: string): StoredNetwork | undefined {
    return this.deps.networks.get(homeId);
  }

  /** The home's local minute of the day: which tiers are on duty. */
  minuteOfDay(homeId: string, now: number): number {
    return localMinuteOfDay(now, this.deps.homes.get(homeId)?.timezone ?? 'Asia/Tokyo');
  }

  /** The alert's escalation state as stored; written only by `save`, so it always parses. */
  state(id: string): EscalationState | undefined {
    const stored = this.deps.repository.escalation(id);
    return stored === undefined ? undefined : escalationState.parse(stored);
  }

  save(id: string, state: EscalationState): void {
    this.deps.repository.setEscalation(id, state);
    if (state.dueAt === null) this.deps.deadlines.cancel(stepKey(id));
    else this.#schedule(id, state.dueAt);
  }

  /** Puts every pending escalation step back on the scheduler (start-up); one overdue fires once. */
  resume(): number {
    const pending = this.deps.repository.pendingSteps();
    for (const { id, dueAt } of pending) this.#schedule(id, dueAt);
    return pending.length;
  }

  /** Queues the transition for the watchers of `tiers` (and the staff webhooks). */
  tell(
    alert: Alert,
    transition: number,
    event: TransitionEvent,
    tiers: readonly number[],
    now: number,
    extra: TellExtra = {},
  ): void {
    const audience = audienceOf(this.network(alert.homeId), tiers, this.deps.webhooks);
    // A reminder goes to the acknowledger alone; otherwise the actor knows what they did.
    const scoped = extra.onlyUser
      ? { userIds: [extra.onlyUser], webhookUrls: [] }
      : {
          userIds: audience.userIds.filter((userId) => userId !== extra.actor?.id),
          webhookUrls: audience.webhookUrls,
          ...(extra.announce && { announce: extra.announce }),
        };
    this.deps.notifications.queue({ alert, transition, event, actor: extra.actor, reason: extra.reason }, scoped, now);
    this.deps.feed.publishAfterCommit(alert);
  }

  /** The alert is over: everyone told so far hears it, and nobody more will be. */
  stop(alert: Alert, entry: number, event: TransitionEvent, now: number, extra: TellExtra): void {
    const state = this.state(alert.id);
    this.tell(alert, entry, event, state?.told ?? [], now, extra);
    if (state) this.save(alert.id, stopped(state));
  }

  /** The escalation step due now: the next tier, or a reminder. A stale deadline does nothing. */
  #step(id: string, now: number): void {
    const { repository, metrics, logger } = this.deps;
    repository.transaction(() => {
      const alert = repository.get(id);
      const state = this.state(id);
      const network = alert && this.network(alert.homeId);
      if (!alert || !state || !network || state.dueAt === null || state.dueAt > now) return;
      if (alert.status !== 'open' && alert.status !== 'acknowledged') return;
      const step: EscalationStep = next(network, state, now, this.minuteOfDay(alert.homeId, now));
      const detail = { tiers: step.tell, remind: step.remind, dueAt: new Date(state.dueAt).toISOString() };
      if (step.tell.length > 0) {
        const entry = repository.addTimeline(id, { at: now, kind: 'escalated', detail });
        this.tell(alert, entry, 'alert.escalated', step.tell, now);
        metrics.escalations.inc({ step: 'tier' });
      } else if (step.remind) {
        const entry = repository.addTimeline(id, {
          at: now,
          kind: step.remind === 'told' ? 'escalation_exhausted' : 'reminded',
          detail,
        });
        const acknowledger =
          step.remind === 'acknowledger' && alert.acknowledgedBy
            ? this.deps.users.byUsername(alert.acknowledgedBy)?.id
            : undefined;
        this.tell(alert, entry, 'alert.reminder', step.state.told, now, { onlyUser: acknowledger });
        metrics.escalations.inc({ step: step.remind === 'told' ? 'exhausted' : 'reminder' });
      }
      this.save(id, step.state);
      logger.info({ alertId: id, ...detail, phase: step.state.phase }, 'escalation step');
    });
  }

  #schedule(id: string, dueAt: number): void {
    this.deps.deadlines.schedule(stepKey(id), dueAt, () => this.#step(id, this.deps.clock.now()));
  }
}

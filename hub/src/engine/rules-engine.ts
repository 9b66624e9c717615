import type { Logger } from 'pino';
import type { Metrics } from '../metrics/index.js';
import type {
  EventJournal,
  JournalCursor,
  PresenceRepository,
  RuleStateRepository,
  StoredEvent,
} from '../store/index.js';
import type { Clock } from '../time/index.js';
import { outageNote, type DeadlineAction, type DeadlineScheduler, type Liveness } from '../deadlines/index.js';
import type { AlertPort } from '../ports/index.js';
import { INCIDENT_ROLES } from './catalogue.js';
import type { AskResident, HomeContext, RuleInput } from './decisions.js';
import type { HomeContexts, HomeFacts } from './home-context.js';
import { NO_PRESENCE, observe, presenceAt, presenceState, watchesActivity, type PresenceState } from './presence.js';
import type { ActiveRule, RuleRegistry } from './rule-registry.js';
import type { RuleState } from './rule-type.js';

/** Something that keeps its own durable state from events, inside the engine's transaction. */
export interface EventConsumer {
  onEvent(event: StoredEvent, now: number): void;
}

export interface RulesEngineDeps {
  journal: Pick<EventJournal, 'readAfter'>;
  /** The last journal sequence whose decisions are stored; advanced in the same transaction. */
  cursor: JournalCursor;
  rules: Pick<RuleRegistry, 'forHome' | 'load'>;
  states: RuleStateRepository;
  /** Each home's presence (presence.ts), folded from every event before the rules judge it. */
  presence: Pick<PresenceRepository, 'get' | 'put'>;
  homes: Pick<HomeContexts, 'get'>;
  alerts: AlertPort;
  /** Puts a rule's question to the home's speakers (environment rules ask before alerting). */
  ask: (decision: AskResident) => void;
  deadlines: DeadlineScheduler<DeadlineAction>;
  liveness: Pick<Liveness, 'outage'>;
  /** After a restart, how long devices get to deliver held events before overdue rule deadlines fire. */
  restartGraceMs: number;
  transaction: <T>(work: () => T) => T;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
  /** Updated in the same transaction as the alerts and the cursor (check-ins answered). */
  consumers?: readonly EventConsumer[];
}

const CATCH_UP_BATCH = 1000;
const deadlineKey = (ruleId: string, homeId: string) => `rule:${ruleId}:${homeId}`;

/**
 * Runs the rule catalogue: every journaled event exactly once, in journal order, through the
 * rules that apply to its home and read its type, and every rule deadline (a tick) when it
 * falls due. A rule's state for the home, the alerts it causes and the cursor past the event
 * are committed together, so a crash between "event stored" and "alert stored" is repaired
 * at start-up by evaluating the events after the cursor.
 */
export class RulesEngine {
  /** Rules that have had a stored state of an older shape dropped (logged once each). */
  readonly #droppedStates = new Set<string>();

  constructor(private readonly deps: RulesEngineDeps) {}

  /** Catches up on events journaled but not yet evaluated (after a crash), then rebuilds rule deadlines. */
  async start(): Promise<void> {
    let caughtUp = 0;
    for (
      let batch = this.deps.journal.readAfter(this.deps.cursor.get(), CATCH_UP_BATCH);
      batch.length > 0;
      batch = this.deps.journal.readAfter(this.deps.cursor.get(), CATCH_UP_BATCH)
    ) {
      for (const event of batch) this.handle(event);
      caughtUp += batch.length;
    }
    if (caughtUp > 0) this.deps.logger.warn({ events: caughtUp }, 'evaluated events stored before the last stop');
    // Overdue deadlines wait out the grace period, so events devices held while the hub was down come first.
    const resumeAt = this.deps.clock.now() + this.deps.restartGraceMs;
    // An overdue one is still judged by when it was due, so its alert says it was detected late.
    for (const { ruleId, homeId, wakeAt } of this.deps.states.waking())
      this.#arm(ruleId, homeId, Math.max(wakeAt ?? resumeAt, resumeAt), wakeAt ?? undefined);
  }

  /**
   * Evaluates one stored event; events at or before the cursor were handled already and are skipped.
   * The cursor is read from the store each time, never remembered here: the store's copy goes back
   * with the decisions when the enclosing commit fails (disk full, database locked), so the event is
   * evaluated when its device sends it again. A position kept in the engine stayed ahead instead, and
   * the event was skipped (issue 8).
   */
  handle(event: StoredEvent): void {
    if (event.seq <= this.deps.cursor.get()) return;
    const now = this.deps.clock.now();
    const home = this.deps.homes.get(event.homeId, now);
    this.deps.transaction(() => {
      for (const consumer of this.deps.consumers ?? []) consumer.onEvent(event, now);
      if (home) {
        const before = this.#presence(home.homeId);
        const observed = observe(before, event, watchesActivity(home.devices, event.deviceId));
        if (observed.state !== before)
          this.deps.presence.put(home.homeId, observed.state, observed.state.lastActivityAt);
        const context = { ...home, presence: presenceAt(observed.state, now, observed) };
        for (const active of this.deps.rules.forHome(home)) {
          if (active.definition.reads.has(event.type))
            this.#run(active, home, { kind: 'event', event, home: context }, now);
        }
      }
      this.deps.cursor.set(event.seq);
    });
  }

  /** A device's own status (its MQTT will when it drops): only `device.offline` reads it. */
  deviceStatus(homeId: string, deviceId: string, online: boolean): void {
    const now = this.deps.clock.now();
    const home = this.deps.homes.get(homeId, now);
    if (!home) return;
    this.deps.transaction(() => {
      const context = this.#context(home, now);
      for (const active of this.deps.rules.forHome(home)) {
        if (active.definition.readsStatus)
          this.#run(active, home, { kind: 'status', deviceId, online, home: context }, now);
      }
    });
  }

  /**
   * After staff changed a rule: reload the catalogue and look again at every home the rule
   * holds state for, so new parameters reach pending deadlines at once (no restart).
   */
  ruleChanged(ruleId: string): void {
    this.deps.rules.load();
    for (const homeId of this.deps.states.homesOf(ruleId)) this.#tick(ruleId, homeId, this.deps.clock.now());
  }

  #tick(ruleId: string, homeId: string, dueAt: number): void {
    const now = this.deps.clock.now();
    const home = this.deps.homes.get(homeId, now);
    const active = home && this.deps.rules.forHome(home).find((a) => a.rule.id === ruleId);
    this.deps.transaction(() => {
      if (!home || !active) {
        // The rule no longer applies to the home (disabled, out of scope, home deleted): forget it.
        this.deps.states.delete(ruleId, homeId);
        this.deps.deadlines.cancel(deadlineKey(ruleId, homeId));
        return;
      }
      const { outage } = this.deps.liveness;
      this.#run(
        active,
        home,
        { kind: 'tick', home: this.#context(home, now) },
        now,
        outage && dueAt < outage.to ? outageNote(outage, home.timezone) : undefined,
      );
    });
  }

  #run(active: ActiveRule, home: HomeFacts, input: RuleInput, now: number, late?: { ja: string; en: string }): void {
    const { rule, definition, settings } = active;
    const { states, alerts, metrics } = this.deps;
    if (!definition.evaluates) return;
    if (definition.pausedByAbsence && home.absent) {
      // Nothing is judged during an absence, and the rule starts afresh after it.
      states.delete(rule.id, home.homeId);
      this.deps.deadlines.cancel(deadlineKey(rule.id, home.homeId));
      return;
    }
    metrics.ruleEvaluations.inc({ rule: rule.id });
    const result = definition.run(this.#restore(active, home.homeId), input, settings, now);
    // Rules that look at one event alone (sos, checkin.concern) keep no state.
    if (result.state !== undefined) states.put(rule.id, home.homeId, result.state, result.wakeAt);
    if (result.wakeAt === undefined) this.deps.deadlines.cancel(deadlineKey(rule.id, home.homeId));
    else this.#arm(rule.id, home.homeId, result.wakeAt);
    // The alert service folds raises and clears into the home's one incident (issue 18.4).
    const incident = INCIDENT_ROLES[definition.type];
    for (const decision of result.decisions) {
      if (decision.kind === 'raise') {
        alerts.raise(
          late
            ? {
                ...decision,
                incident,
                message: { ja: decision.message.ja + late.ja, en: decision.message.en + late.en },
              }
            : { ...decision, incident },
          now,
        );
      } else if (decision.kind === 'clear') {
        alerts.clear({ ...decision, incident }, now);
      } else {
        this.deps.ask(decision);
      }
    }
  }

  /**
   * The home's presence as stored; one of an older shape starts afresh. Only what the store read
   * from the file is parsed: what this engine put there it made itself, and parsing every state on
   * every event was a tenth of the engine's time (issue 21).
   */
  #presence(homeId: string): PresenceState {
    const stored = this.deps.presence.get(homeId);
    if (stored && !stored.fromFile) return stored.state as PresenceState;
    const parsed = presenceState.safeParse(stored?.state);
    return parsed.success ? parsed.data : NO_PRESENCE;
  }

  /** What the rules know of the home at `now` when no event is being judged. */
  #context(home: HomeFacts, now: number): HomeContext {
    return { ...home, presence: presenceAt(this.#presence(home.homeId), now) };
  }

  /**
   * The rule's stored state for the home, parsed by its type's schema. A state of an older shape
   * (written by a hub before the rule changed) is dropped and the rule starts afresh for the
   * home, as after an absence; one log line per rule says so, however many homes it affects.
   */
  #restore(active: ActiveRule, homeId: string): RuleState | undefined {
    const stored = this.deps.states.get(active.rule.id, homeId);
    // Put by this engine, the state is as the rule made it (a rule's type never changes).
    if (stored && !stored.fromFile) return stored.state as RuleState;
    const restored = active.definition.restore(stored?.state);
    if (restored.ok) return restored.state;
    this.deps.metrics.ruleStatesDropped.inc({ rule: active.rule.id });
    if (!this.#droppedStates.has(active.rule.id)) {
      this.#droppedStates.add(active.rule.id);
      this.deps.logger.warn(
        { rule: active.rule.id, homeId, reason: restored.reason },
        'rule state of an older shape dropped; the rule starts afresh for the homes that had one',
      );
    }
    return undefined;
  }

  /** Looks at the home's rule at `at`, as the deadline due at `dueAt` (later than that after a restart). */
  #arm(ruleId: string, homeId: string, at: number, dueAt = at): void {
    this.deps.deadlines.schedule(deadlineKey(ruleId, homeId), at, () => this.#tick(ruleId, homeId, dueAt));
  }
}

import type { Alert, CheckinScheduleInput, Resident } from '@mimamori/contract';
import type { Logger } from 'pino';
import {
  outageNote,
  outageRecord,
  type DeadlineAction,
  type DeadlineScheduler,
  type Liveness,
} from '../deadlines/index.js';
import type { EventConsumer } from '../engine/index.js';
import type { AlertPort, SpeakerOutlet } from '../ports/index.js';
import type { Metrics } from '../metrics/index.js';
import type {
  AbsenceRepository,
  CheckinRepository,
  CheckinScheduleRepository,
  HomeActivity,
  HomeRepository,
  Occurrence,
  StoredEvent,
  StoredSchedule,
} from '../store/index.js';
import type { Clock } from '../time/index.js';
import { AbsenceWatch } from './absence-watch.js';
import { dailyAt, latestAtOrBefore, nextAfter } from './cron.js';
import { applyAnswer, begin, consecutiveMisses, freshOccurrence, nextStep, takeStep } from './ladder.js';
import { missedAlert } from './missed-alert.js';
import { checkinPrompt } from './prompt-text.js';

export interface CheckinServiceDeps {
  schedules: CheckinScheduleRepository;
  checkins: CheckinRepository;
  absences: AbsenceRepository;
  activity: HomeActivity;
  homes: HomeRepository;
  /** Dates the hub's outage, so check-ins it made late are marked as such. */
  liveness: Pick<Liveness, 'outage'>;
  /** The `checkin.missed` rule as it applies to a home; undefined when staff switched it off there. */
  missedRule: (homeId: string) => { id: string; severity: Alert['severity'] } | undefined;
  alerts: AlertPort;
  deadlines: DeadlineScheduler<DeadlineAction>;
  speakers: Pick<SpeakerOutlet, 'prompt' | 'cancel'>;
  transaction: <T>(work: () => T) => T;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
  /** After a restart, how long devices get to deliver held answers before overdue check-ins close. */
  restartGraceMs: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** At most this many unasked check-ins are recorded per schedule after a long outage. */
const MAX_UNASKED_RECORDED = 60;
const RECENT_FOR_RUN = 30;
const OUTAGE_SCAN_MS = 7 * DAY;

/**
 * Runs scheduled check-ins: prompts the home's speaker when one falls due, re-prompts, closes
 * the window, takes answers from the event stream, respects absences and pauses, and reminds
 * staff before an absence ends.
 *
 * Everything it needs to carry on is in the store (schedules, occurrences, absences), and every
 * deadline is one keyed entry in the hub's single scheduler, rebuilt from the store at start.
 * A deadline action re-reads the stored state, so a stale deadline does nothing.
 */
export class CheckinService implements EventConsumer {
  readonly #absences: AbsenceWatch;

  constructor(private readonly deps: CheckinServiceDeps) {
    this.#absences = new AbsenceWatch({ ...deps, absenceBegan: (homeId) => this.#withdrawPending(homeId) });
  }

  start(): void {
    const { clock, deadlines, logger } = this.deps;
    const now = clock.now();
    const resumeAt = now + this.deps.restartGraceMs;
    for (const o of this.deps.checkins.listPending()) this.#scheduleStep(o, resumeAt);
    for (const schedule of this.deps.schedules.list()) this.#scheduleNextDue(schedule, now, resumeAt);
    for (const absence of this.deps.absences.listUnended(now)) this.absenceChanged(absence.id);
    logger.info({ deadlines: deadlines.size }, 'check-in deadlines rebuilt from the store');
  }

  // ── schedules ────────────────────────────────────────────────────────────────────

  /** Call after a schedule was created, changed or deleted: its next due time is recomputed. */
  scheduleChanged(scheduleId: string): void {
    const schedule = this.deps.schedules.get(scheduleId);
    if (!schedule) {
      this.deps.deadlines.cancel(dueKey(scheduleId));
      return;
    }
    const now = this.deps.clock.now();
    this.#scheduleNextDue(schedule, now, now);
  }

  nextDueAt(scheduleId: string): number | undefined {
    return this.deps.deadlines.dueAt(dueKey(scheduleId));
  }

  /**
   * Arms the schedule's next occurrence. After an outage the occurrences that fell due while
   * the hub was down are recorded as not asked, except the latest, which is asked now (after
   * the grace period), so the resident is still checked on today without a burst of prompts.
   */
  #scheduleNextDue(schedule: StoredSchedule, now: number, resumeAt: number): void {
    const { cron, timezone } = schedule.spec;
    // Occurrences more than a week into an outage are not looked at one by one.
    const after = Math.max(
      this.deps.checkins.lastDueAt(schedule.id) ?? -Infinity,
      schedule.updatedAt,
      now - OUTAGE_SCAN_MS,
    );
    let due = nextAfter(cron, timezone, after);
    if (due >= now) {
      this.deps.deadlines.schedule(dueKey(schedule.id), due, (at) => this.#fallDue(schedule.id, at, at));
      return;
    }
    const overdue: number[] = [];
    for (; due < now; due = nextAfter(cron, timezone, due)) overdue.push(due);
    const latest = overdue.pop() as number;
    const unasked = overdue.slice(-MAX_UNASKED_RECORDED);
    this.deps.transaction(() => {
      for (const dueAt of unasked) {
        this.deps.checkins.insert({ ...this.#fresh(schedule, dueAt, dueAt), outcome: 'not_asked', closedAt: now });
        this.deps.metrics.checkins.inc({ outcome: 'not_asked' });
      }
    });
    this.deps.deadlines.schedule(dueKey(schedule.id), resumeAt, () => this.#fallDue(schedule.id, latest, resumeAt));
  }

  /** A scheduled check-in falls due: settle it without a prompt where possible, else prompt. */
  #fallDue(scheduleId: string, dueAt: number, startedAt: number): void {
    const { schedules, checkins, homes, absences, activity, clock } = this.deps;
    const schedule = schedules.get(scheduleId);
    if (!schedule) return;
    const resident = homes.getResident(schedule.residentId);
    const { spec } = schedule;
    if (resident) {
      const fresh = this.#fresh(schedule, dueAt, startedAt);
      const o = begin(fresh, {
        absent: absences.activeAt(schedule.homeId, startedAt) !== undefined,
        paused: spec.pausedUntil !== null && Date.parse(spec.pausedUntil) > dueAt,
        voluntaryAt: activity.lastVoluntaryCheckin(
          schedule.homeId,
          schedule.residentId,
          dueAt - spec.voluntaryLeadMinutes * MINUTE,
          startedAt,
        ),
        activityAt: this.#activitySince(schedule, dueAt),
      });
      const stored = this.deps.transaction(() => checkins.insert(o));
      if (stored) {
        if (o.outcome === 'pending') {
          this.#prompt(o, spec, resident, 1);
          this.#scheduleStep(o, clock.now());
        } else {
          this.deps.metrics.checkins.inc({ outcome: o.outcome });
        }
      }
    }
    const now = clock.now();
    const next = nextAfter(spec.cron, spec.timezone, Math.max(dueAt, now - 1));
    this.deps.deadlines.schedule(dueKey(scheduleId), next, (at) => this.#fallDue(scheduleId, at, at));
  }

  #fresh(schedule: StoredSchedule, dueAt: number, startedAt: number): Occurrence {
    return freshOccurrence(schedule, dueAt, startedAt, startedAt > dueAt ? this.#outageText() : null);
  }

  /** The resident's latest activity since the schedule's `activityFrom`, for `satisfiedBy: activity` only. */
  #activitySince(schedule: StoredSchedule, dueAt: number): number | undefined {
    const { satisfiedBy, activityFrom, timezone } = schedule.spec;
    if (satisfiedBy !== 'activity') return undefined;
    const from = latestAtOrBefore(dailyAt(activityFrom), timezone, dueAt);
    return this.deps.activity.lastActivitySince(schedule.homeId, from);
  }

  // ── the prompt ladder ─────────────────────────────────────────────────────────────

  /** Arms the occurrence's next step; a step that passed while the hub was down waits until `notBefore`. */
  #scheduleStep(o: Occurrence, notBefore: number): void {
    const schedule = this.deps.schedules.get(o.scheduleId);
    const step = schedule && nextStep(o, schedule.spec);
    if (!step) return;
    // Only a step that passed while the hub was down counts as detected late, not one due in the grace period.
    const overdue = step.at < this.deps.clock.now();
    this.deps.deadlines.schedule(stepKey(o.id), Math.max(step.at, notBefore), () => this.#takeStep(o.id, overdue));
  }

  #takeStep(occurrenceId: string, overdue: boolean): void {
    const { checkins, schedules, homes, absences, clock } = this.deps;
    const current = checkins.get(occurrenceId);
    const schedule = current && schedules.get(current.scheduleId);
    if (!current || !schedule) return;
    const now = clock.now();
    const step = nextStep(current, schedule.spec);
    const o = takeStep(current, schedule.spec, now, {
      absent: absences.activeAt(current.homeId, now) !== undefined,
      activityAt: step?.kind === 'close' ? this.#activitySince(schedule, current.dueAt) : undefined,
      detectedLate: overdue ? (this.#outageText() ?? undefined) : undefined,
    });
    if (o === current) return;
    const resident = homes.getResident(o.residentId);
    this.deps.transaction(() => {
      checkins.update(o);
      if (o.outcome === 'missed' && resident) this.#raiseMissed(o, schedule, resident, overdue, now);
    });
    if (o.outcome === 'pending') {
      if (resident) this.#prompt(o, schedule.spec, resident, o.promptsSent);
      this.#scheduleStep(o, now);
    } else {
      this.deps.metrics.checkins.inc({ outcome: o.outcome });
      if (o.outcome === 'absent') this.deps.speakers.cancel(o.homeId, o.id);
    }
  }

  #raiseMissed(o: Occurrence, schedule: StoredSchedule, resident: Resident, overdue: boolean, now: number): void {
    const rule = this.deps.missedRule(o.homeId);
    if (!rule) return;
    const { outage } = this.deps.liveness;
    const decision = missedAlert(o, {
      rule,
      spec: schedule.spec,
      consecutive: consecutiveMisses(this.deps.checkins.recentOutcomes(o.residentId, RECENT_FOR_RUN)),
      tolerance: resident.missTolerance,
      late: overdue && outage ? outageNote(outage, schedule.spec.timezone) : undefined,
    });
    if (decision) this.deps.alerts.raise(decision, now);
  }

  #prompt(o: Occurrence, spec: CheckinScheduleInput, resident: Resident, attempt: number): void {
    if (!this.deps.speakers.prompt(o.homeId, checkinPrompt(o, spec, resident, attempt))) {
      this.deps.logger.warn(
        { homeId: o.homeId, checkinId: o.id },
        'no speaker registered in the home; the check-in can only be answered by a voluntary check-in',
      );
    }
  }

  // ── answers (called by the rules engine inside its transaction) ──────────────────────

  onEvent(event: StoredEvent): void {
    if (event.type !== 'checkin') return;
    const fields = event.data;
    const answer = { ts: event.ts, answer: fields.answer, items: fields.items ?? null };
    for (const o of this.#answered(event.homeId, fields, event.ts)) {
      const schedule = this.deps.schedules.get(o.scheduleId);
      if (!schedule) continue;
      const settled = applyAnswer(o, schedule.spec, answer);
      if (settled === o) continue;
      this.deps.checkins.update(settled);
      if (o.outcome === 'pending') {
        this.deps.deadlines.cancel(stepKey(o.id));
        this.deps.metrics.checkins.inc({ outcome: settled.outcome });
      }
    }
  }

  /**
   * The check-ins an answer is for: the prompted one (only within the same home: a device can
   * never answer for another household), or for a voluntary check-in every pending one of
   * the resident (or, without a resident id, of the home) whose lead time has begun.
   */
  #answered(
    homeId: string,
    fields: { promptId?: string | undefined; residentId?: string | undefined },
    ts: number,
  ): Occurrence[] {
    if (fields.promptId !== undefined) {
      const o = this.deps.checkins.get(fields.promptId);
      return o && o.homeId === homeId ? [o] : [];
    }
    return this.deps.checkins.pendingForHome(homeId).filter((o) => {
      if (fields.residentId !== undefined && fields.residentId !== o.residentId) return false;
      const lead = this.deps.schedules.get(o.scheduleId)?.spec.voluntaryLeadMinutes ?? 0;
      return ts >= o.dueAt - lead * MINUTE;
    });
  }

  // ── absences ────────────────────────────────────────────────────────────────────

  /** Call after an absence was registered, changed or deleted (see AbsenceWatch). */
  absenceChanged(absenceId: string): void {
    this.#absences.changed(absenceId);
  }

  /** An absence began: the home's pending check-ins are withdrawn and their prompts cancelled. */
  #withdrawPending(homeId: string): void {
    const now = this.deps.clock.now();
    if (!this.deps.absences.activeAt(homeId, now)) return;
    for (const o of this.deps.checkins.pendingForHome(homeId)) {
      const absent: Occurrence = { ...o, outcome: 'absent', closedAt: now };
      this.deps.checkins.update(absent);
      this.deps.deadlines.cancel(stepKey(o.id));
      this.deps.metrics.checkins.inc({ outcome: 'absent' });
      this.deps.speakers.cancel(absent.homeId, absent.id);
    }
  }

  #outageText(): string | null {
    const { outage } = this.deps.liveness;
    return outage ? outageRecord(outage) : null;
  }
}

const dueKey = (scheduleId: string) => `checkin:due:${scheduleId}`;
const stepKey = (occurrenceId: string) => `checkin:step:${occurrenceId}`;

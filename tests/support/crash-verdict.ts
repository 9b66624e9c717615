import { join } from 'node:path';
import { openReadOnly } from '../../hub/src/store/database.js';
import type { CrashSeriesRun, Outage } from './crash-series.js';

/**
 * How long after the hub answers again a deadline that passed while it was down may take to fire
 * (the restart grace is 5 s). Used only to leave alone deadlines too near the end of a run to have
 * fired yet; how soon they fire is a figure of the run, not a verdict: it depends on the machine.
 */
export const FIRE_WITHIN_MS = 10_000;
const TIER_TIMEOUT_MS = 60_000;

export interface DeadlineVerdict {
  /** Check-in prompts and window closes that fell due while the hub was down. */
  checkinsDueInOutages: number;
  /** Escalation steps that fell due while the hub was down. */
  escalationsDueInOutages: number;
  /** The latest any of them fired after the hub answered again. */
  maxFiredAfterReadyMs: number;
  /** Every broken promise, in words. */
  problems: string[];
}

interface CheckinRow {
  scheduleId: string;
  dueAt: number;
  startedAt: number;
  closedAt: number | null;
  outcome: string;
  detectedLate: string | null;
}
interface TimelineRow {
  alertId: string;
  rule: string;
  openedAt: number;
  kind: string;
  at: number;
  detail: string | null;
}

/**
 * Judges the check-ins and escalations of a crash series from the hub's store: each fell due
 * once and none was skipped; those due while the hub was down fired once, after it was started
 * again (how soon is `maxFiredAfterReadyMs`, a figure), marked late (a check-in's `detected_late`, an
 * escalation step's timeline entry naming the time it was due); escalations went on from
 * their persisted step instead of starting over.
 */
export function judgeDeadlines(run: CrashSeriesRun): DeadlineVerdict {
  const db = openReadOnly(join(run.dataDir, 'mimamori.sqlite'));
  try {
    const checkins = db
      .prepare(
        'SELECT schedule_id AS scheduleId, due_at AS dueAt, started_at AS startedAt, closed_at AS closedAt, outcome, detected_late AS detectedLate FROM checkins ORDER BY schedule_id, due_at',
      )
      .all() as CheckinRow[];
    const timeline = db
      .prepare(
        `SELECT a.id AS alertId, a.rule, a.opened_at AS openedAt, t.kind, t.at, t.detail
       FROM alerts a JOIN alert_timeline t ON t.alert_id = a.id WHERE t.kind IN ('opened', 'escalated') ORDER BY t.id`,
      )
      .all() as TimelineRow[];
    const verdict: DeadlineVerdict = {
      checkinsDueInOutages: 0,
      escalationsDueInOutages: 0,
      maxFiredAfterReadyMs: 0,
      problems: [],
    };
    judgeCheckins(run, checkins, verdict);
    judgeEscalations(run, timeline, verdict);
    return verdict;
  } finally {
    db.close();
  }
}

function judgeCheckins(run: CrashSeriesRun, rows: readonly CheckinRow[], verdict: DeadlineVerdict): void {
  const bySchedule = groupBy(rows, (r) => r.scheduleId);
  if (bySchedule.size !== run.watchedHomes)
    verdict.problems.push(`check-ins of ${bySchedule.size} schedules, expected ${run.watchedHomes}`);
  for (const [scheduleId, occurrences] of bySchedule) {
    occurrences.forEach((o, i) => {
      const previous = occurrences[i - 1];
      if (previous && o.dueAt - previous.dueAt !== 60_000)
        verdict.problems.push(
          `${scheduleId}: check-in due ${iso(o.dueAt)} follows ${iso(previous.dueAt)} (skipped or repeated)`,
        );
      const startedIn = outageAt(run.outages, o.dueAt);
      if (startedIn) {
        verdict.checkinsDueInOutages += 1;
        judgeLate(
          verdict,
          run,
          `${scheduleId}: check-in due ${iso(o.dueAt)}`,
          startedIn,
          o.startedAt,
          o.detectedLate !== null,
        );
      }
      // Nothing answers, so every window closes one minute after its prompt began.
      const closeDue = o.startedAt + 60_000;
      const closedIn = outageAt(run.outages, closeDue);
      if (closedIn && closeDue < run.endedAt - FIRE_WITHIN_MS) {
        verdict.checkinsDueInOutages += 1;
        const marked = o.detectedLate !== null && o.outcome === 'missed';
        judgeLate(
          verdict,
          run,
          `${scheduleId}: window of ${iso(o.dueAt)} closing ${iso(closeDue)}`,
          closedIn,
          o.closedAt ?? Infinity,
          marked,
        );
      }
    });
  }
}

function judgeEscalations(run: CrashSeriesRun, rows: readonly TimelineRow[], verdict: DeadlineVerdict): void {
  for (const [alertId, entries] of groupBy(rows, (r) => r.alertId)) {
    const opened = entries.filter((e) => e.kind === 'opened');
    const escalated = entries.filter((e) => e.kind === 'escalated');
    const { rule, openedAt } = entries[0] as TimelineRow;
    if (opened.length !== 1) verdict.problems.push(`${alertId} (${rule}): opened ${opened.length} times`);
    if (escalated.length > 1)
      verdict.problems.push(`${alertId} (${rule}): escalated ${escalated.length} times (tier 2 is told once)`);
    if (escalated.length === 0 && openedAt + TIER_TIMEOUT_MS < run.endedAt - FIRE_WITHIN_MS) {
      verdict.problems.push(`${alertId} (${rule}): opened ${iso(openedAt)}, never escalated`);
    }
    for (const step of escalated) {
      const { dueAt, tiers } = JSON.parse(step.detail ?? '{}') as { dueAt?: string; tiers?: number[] };
      if (JSON.stringify(tiers) !== '[1]')
        verdict.problems.push(`${alertId} (${rule}): escalated to tiers ${JSON.stringify(tiers)}, expected [1]`);
      const due = Date.parse(dueAt ?? '');
      const outage = outageAt(run.outages, due);
      if (!outage) continue;
      verdict.escalationsDueInOutages += 1;
      judgeLate(verdict, run, `${alertId} (${rule}): escalation due ${iso(due)}`, outage, step.at, step.at > due);
    }
  }
}

/**
 * A deadline due in `outage` must fire after the restart, marked late, and within the promise
 * of the hub answering again — of the last restart before it fired: a hub killed again before
 * its restart grace ran out starts that grace afresh.
 */
function judgeLate(
  verdict: DeadlineVerdict,
  run: CrashSeriesRun,
  what: string,
  outage: Outage,
  firedAt: number,
  markedLate: boolean,
): void {
  const restart = run.outages.findLast((o) => o.spawnAt <= firedAt);
  const firedAfterReady = restart ? firedAt - readyAt(restart) : Infinity;
  verdict.maxFiredAfterReadyMs = Math.max(verdict.maxFiredAfterReadyMs, firedAfterReady);
  if (firedAt < outage.spawnAt) {
    verdict.problems.push(
      `${what}: fired ${iso(firedAt)}, ${firedAfterReady} ms after the hub last answered again (${restart ? iso(readyAt(restart)) : 'never'})`,
    );
  }
  if (!markedLate) verdict.problems.push(`${what}: not marked as detected late`);
}

/** The outage in which the hub could not have acted at `at`: from the kill until the new process started. */
const outageAt = (outages: readonly Outage[], at: number) => outages.find((o) => at >= o.killAt && at < o.spawnAt);
export const readyAt = (o: Outage) => Math.max(o.httpAt, o.mqttAt);
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : 'never');

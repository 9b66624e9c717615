import type { CheckinOutcome, CheckinRecord } from '@mimamori/contract';
import type { Db } from './database.js';

/** One scheduled check-in as stored; its id is the promptId the speaker echoes back. */
export interface Occurrence {
  id: string;
  scheduleId: string;
  residentId: string;
  homeId: string;
  dueAt: number;
  /** When the prompt ladder began: `dueAt`, or the restart time after a hub outage. */
  startedAt: number;
  outcome: CheckinOutcome;
  promptsSent: number;
  answer: CheckinRecord['answer'];
  items: CheckinRecord['items'];
  answeredAt: number | null;
  lateAnswerAt: number | null;
  satisfiedBy: CheckinRecord['satisfiedBy'];
  detectedLate: string | null;
  closedAt: number | null;
}

/** Of an occurrence, what a resident's status is judged from. */
export type OccurrenceSummary = Pick<Occurrence, 'outcome' | 'promptsSent' | 'startedAt' | 'answeredAt' | 'closedAt'>;

interface OccurrenceRow {
  id: string;
  schedule_id: string;
  resident_id: string;
  home_id: string;
  due_at: number;
  started_at: number;
  outcome: CheckinOutcome;
  prompts_sent: number;
  answer: CheckinRecord['answer'];
  items: string | null;
  answered_at: number | null;
  late_answer_at: number | null;
  satisfied_by: CheckinRecord['satisfiedBy'];
  detected_late: string | null;
  closed_at: number | null;
}

const toOccurrence = (r: OccurrenceRow): Occurrence => ({
  id: r.id,
  scheduleId: r.schedule_id,
  residentId: r.resident_id,
  homeId: r.home_id,
  dueAt: r.due_at,
  startedAt: r.started_at,
  outcome: r.outcome,
  promptsSent: r.prompts_sent,
  answer: r.answer,
  items: r.items === null ? null : (JSON.parse(r.items) as Occurrence['items']),
  answeredAt: r.answered_at,
  lateAnswerAt: r.late_answer_at,
  satisfiedBy: r.satisfied_by,
  detectedLate: r.detected_late,
  closedAt: r.closed_at,
});

/** Scheduled check-ins, one row each, written when they fall due and updated as they settle. */
export class CheckinRepository {
  constructor(private readonly db: Db) {}

  /** Stores a new occurrence; false when that schedule already has one at that time (a replay). */
  insert(o: Occurrence): boolean {
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO checkins (id, schedule_id, resident_id, home_id, due_at, started_at, outcome, prompts_sent,
           answer, items, answered_at, late_answer_at, satisfied_by, detected_late, closed_at)
         VALUES (@id, @scheduleId, @residentId, @homeId, @dueAt, @startedAt, @outcome, @promptsSent,
           @answer, @items, @answeredAt, @lateAnswerAt, @satisfiedBy, @detectedLate, @closedAt)`,
      )
      .run({ ...o, items: o.items === null ? null : JSON.stringify(o.items) });
    return result.changes > 0;
  }

  /** Writes back everything that changes as a check-in settles. */
  update(o: Occurrence): void {
    this.db
      .prepare(
        `UPDATE checkins SET started_at = @startedAt, outcome = @outcome, prompts_sent = @promptsSent, answer = @answer,
           items = @items, answered_at = @answeredAt, late_answer_at = @lateAnswerAt, satisfied_by = @satisfiedBy,
           detected_late = @detectedLate, closed_at = @closedAt
         WHERE id = @id`,
      )
      .run({ ...o, items: o.items === null ? null : JSON.stringify(o.items) });
  }

  get(id: string): Occurrence | undefined {
    const row = this.db.prepare('SELECT * FROM checkins WHERE id = ?').get(id) as OccurrenceRow | undefined;
    return row && toOccurrence(row);
  }

  listPending(): Occurrence[] {
    return (
      this.db.prepare("SELECT * FROM checkins WHERE outcome = 'pending' ORDER BY due_at").all() as OccurrenceRow[]
    ).map(toOccurrence);
  }

  pendingForHome(homeId: string): Occurrence[] {
    const rows = this.db
      .prepare("SELECT * FROM checkins WHERE outcome = 'pending' AND home_id = ? ORDER BY due_at")
      .all(homeId);
    return (rows as OccurrenceRow[]).map(toOccurrence);
  }

  /** The due time of the schedule's latest occurrence, if it has one. */
  lastDueAt(scheduleId: string): number | undefined {
    const row = this.db.prepare('SELECT MAX(due_at) AS due FROM checkins WHERE schedule_id = ?').get(scheduleId) as {
      due: number | null;
    };
    return row.due ?? undefined;
  }

  /**
   * The outcomes of the resident's latest `limit` occurrences, newest first, read as the caller
   * takes them: a run of misses is counted at each missed check-in, and it usually ends at the
   * second (yesterday's answer). Reading the latest 30 at once took 28 against 8 µs a resident
   * (issue 21).
   */
  *recentOutcomes(residentId: string, limit: number): Generator<Occurrence['outcome']> {
    yield* this.db
      .prepare('SELECT outcome FROM checkins WHERE resident_id = ? ORDER BY due_at DESC LIMIT ?')
      .pluck()
      .iterate(residentId, limit) as IterableIterator<Occurrence['outcome']>;
  }

  /**
   * The resident's latest occurrences, newest first, with only what their check-in status is
   * judged from: reading whole rows (each mapped, its items parsed) cost the staff's status board
   * two and a half times as much (issue 21).
   */
  recentSummaries(residentId: string, limit: number): OccurrenceSummary[] {
    return this.db
      .prepare(
        `SELECT outcome, prompts_sent AS promptsSent, started_at AS startedAt, answered_at AS answeredAt,
           closed_at AS closedAt
         FROM checkins WHERE resident_id = ? ORDER BY due_at DESC LIMIT ?`,
      )
      .all(residentId, limit) as OccurrenceSummary[];
  }

  /** Occurrences of a home due in [from, to), oldest first; optionally one resident's. */
  history(homeId: string, from: number, to: number, residentId?: string): Occurrence[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM checkins WHERE home_id = ? AND due_at >= ? AND due_at < ? AND (? IS NULL OR resident_id = ?)
         ORDER BY due_at, resident_id LIMIT 5000`,
      )
      .all(homeId, from, to, residentId ?? null, residentId ?? null);
    return (rows as OccurrenceRow[]).map(toOccurrence);
  }
}

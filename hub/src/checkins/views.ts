import type { Absence, CheckinRecord, CheckinSchedule, CheckinStatus, Resident } from '@mimamori/contract';
import type { Occurrence, StoredSchedule } from '../store/index.js';
import { localParts } from './cron.js';
import { residentStatus, type StatusFacts } from './status.js';
import { consecutiveMisses } from './ladder.js';

/** Stored check-in facts as the HTTP API shows them. */
const isoOrNull = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

export function scheduleView(s: StoredSchedule, nextDueAt: number | undefined): CheckinSchedule {
  return {
    id: s.id,
    residentId: s.residentId,
    homeId: s.homeId,
    ...s.spec,
    nextDueAt: isoOrNull(nextDueAt),
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
  };
}

export function recordView(o: Occurrence, timezone: string): CheckinRecord {
  return {
    id: o.id,
    scheduleId: o.scheduleId,
    residentId: o.residentId,
    homeId: o.homeId,
    dueAt: new Date(o.dueAt).toISOString(),
    localDate: localParts(o.dueAt, timezone).date,
    outcome: o.outcome,
    promptsSent: o.promptsSent,
    answer: o.answer,
    items: o.items,
    answeredAt: isoOrNull(o.answeredAt),
    lateAnswerAt: isoOrNull(o.lateAnswerAt),
    satisfiedBy: o.satisfiedBy,
    detectedLate: o.detectedLate,
  };
}

export function statusView(
  resident: Resident,
  facts: StatusFacts & { absenceView: Absence | null; nextDueAt: number | undefined },
  now: number,
): CheckinStatus {
  const { status, since } = residentStatus(facts, now);
  const lastAnswered = facts.recent.find((o) => o.answeredAt !== null);
  return {
    residentId: resident.id,
    residentName: resident.name,
    homeId: resident.homeId,
    status,
    since: isoOrNull(since),
    consecutiveMisses: consecutiveMisses(facts.recent.map((o) => o.outcome)),
    lastAnsweredAt: isoOrNull(lastAnswered?.answeredAt),
    nextDueAt: isoOrNull(facts.nextDueAt),
    absence: facts.absenceView,
  };
}

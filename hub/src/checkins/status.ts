import type { ResidentCheckinState } from '@mimamori/contract';
import type { OccurrenceSummary, StoredSchedule } from '../store/index.js';

export interface StatusFacts {
  schedules: readonly Pick<StoredSchedule, 'spec'>[];
  /** The resident's latest occurrences, newest first. */
  recent: readonly OccurrenceSummary[];
  absence: { startsAt: number } | undefined;
}

/**
 * A resident's check-in status as a pure function of stored facts and now (healthchecks'
 * model): nothing is kept in memory, so it is the same after a restart.
 */
export function residentStatus(
  { schedules, recent, absence }: StatusFacts,
  now: number,
): { status: ResidentCheckinState; since: number | null } {
  if (absence) return { status: 'absent', since: absence.startsAt };
  const active = schedules.filter((s) => !s.spec.pausedUntil || Date.parse(s.spec.pausedUntil) <= now);
  if (active.length === 0) return { status: 'paused', since: null };
  const latest = recent.find((o) => o.outcome !== 'absent' && o.outcome !== 'paused' && o.outcome !== 'not_asked');
  if (!latest) return { status: 'up', since: null };
  switch (latest.outcome) {
    case 'pending':
      return { status: latest.promptsSent > 1 ? 'late' : 'pending', since: latest.startedAt };
    case 'missed':
      return { status: 'missed', since: latest.closedAt };
    default:
      return { status: 'up', since: latest.answeredAt };
  }
}

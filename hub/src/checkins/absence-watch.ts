import type { DeadlineAction, DeadlineScheduler } from '../deadlines/index.js';
import type { AlertPort } from '../ports/index.js';
import type { AbsenceRepository, HomeRepository } from '../store/index.js';
import type { Clock } from '../time/index.js';
import { localParts } from './cron.js';

export interface AbsenceWatchDeps {
  absences: AbsenceRepository;
  homes: Pick<HomeRepository, 'get'>;
  alerts: AlertPort;
  deadlines: DeadlineScheduler<DeadlineAction>;
  transaction: <T>(work: () => T) => T;
  clock: Clock;
  /** The absence's start: what the hub pauses for it (pending check-ins) is withdrawn. */
  absenceBegan: (homeId: string) => void;
}

const DAY = 24 * 60 * 60_000;
const REASON_JA = {
  hospital: '入院',
  trip: '旅行',
  day_service: 'デイサービス',
  family: '家族宅',
  other: 'その他',
} as const;
const startKey = (absenceId: string) => `absence:start:${absenceId}`;
const reminderKey = (absenceId: string) => `absence:remind:${absenceId}`;

/**
 * The deadlines of absences (不在登録): when one starts, what it pauses is withdrawn; a day
 * before it ends, staff are reminded, so an absence that goes on is extended in time (absences
 * always end, and the hub watches again when they do).
 */
export class AbsenceWatch {
  constructor(private readonly deps: AbsenceWatchDeps) {}

  /** Call after an absence was registered, changed or deleted: its deadlines follow at once. */
  changed(absenceId: string): void {
    const { absences, deadlines, clock } = this.deps;
    const absence = absences.stored(absenceId);
    deadlines.cancel(startKey(absenceId));
    deadlines.cancel(reminderKey(absenceId));
    if (!absence) return;
    const now = clock.now();
    if (absence.endsAt <= now) return;
    if (absence.startsAt <= now) this.deps.absenceBegan(absence.homeId);
    else deadlines.schedule(startKey(absenceId), absence.startsAt, () => this.deps.absenceBegan(absence.homeId));
    if (absence.remindedAt === null && absence.endsAt - DAY > absence.startsAt) {
      deadlines.schedule(reminderKey(absenceId), Math.max(absence.endsAt - DAY, now), () =>
        this.#remindEnding(absenceId),
      );
    }
  }

  #remindEnding(absenceId: string): void {
    const { absences, homes, alerts, clock } = this.deps;
    const absence = absences.get(absenceId, clock.now());
    const stored = absences.stored(absenceId);
    if (!absence || !stored || stored.remindedAt !== null) return;
    const home = homes.get(absence.homeId);
    const end = localParts(stored.endsAt, home?.timezone ?? 'Asia/Tokyo');
    const now = clock.now();
    this.deps.transaction(() => {
      absences.markReminded(absenceId, now);
      alerts.raise(
        {
          kind: 'raise',
          homeId: absence.homeId,
          residentId: undefined,
          rule: 'absence.ending',
          severity: 'info',
          message: {
            ja: `不在の登録（${REASON_JA[absence.reason]}）は${Number(end.date.slice(5, 7))}月${Number(end.date.slice(8, 10))}日 ${end.time.replace(/^0(?=\d)/, '')}に終わり、見守りを再開します。不在が続く場合は、終わりの日時を延ばしてください。`,
            en: `The absence (${absence.reason}) ends on ${end.date} at ${end.time} and monitoring resumes then. Extend it if it continues.`,
          },
          sourceEventSeq: undefined,
          occurredAt: undefined,
        },
        now,
      );
    });
  }
}

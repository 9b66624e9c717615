import type { CheckinScheduleInput } from '@mimamori/contract';
import type { Occurrence, StoredSchedule } from '../store/index.js';

/**
 * The life of one scheduled check-in as pure functions of the stored occurrence, the
 * schedule and facts the service looked up. Nothing here reads a clock or a database.
 *
 *   due ─ prompt ─(re-prompt every N min)─ … ─ window closes → missed
 *     └ absent / paused / satisfied (voluntary check-in or activity) without a prompt
 *   an answer at any point while pending → answered
 */
export type LadderSpec = Pick<CheckinScheduleInput, 'windowMinutes' | 'reprompts' | 'repromptEveryMinutes'>;
const MINUTE = 60_000;

export interface BeginFacts {
  absent: boolean;
  paused: boolean;
  /** A voluntary check-in shortly before the due time. */
  voluntaryAt: number | undefined;
  /** Activity since `activityFrom`, looked up only for `satisfiedBy: activity`. */
  activityAt: number | undefined;
}

export const closesAt = (o: Pick<Occurrence, 'startedAt'>, spec: LadderSpec): number =>
  o.startedAt + spec.windowMinutes * MINUTE;

/** Settles a fresh occurrence without a prompt where the facts allow, else records the first prompt. */
export function begin(o: Occurrence, facts: BeginFacts): Occurrence {
  if (facts.absent) return { ...o, outcome: 'absent', closedAt: o.startedAt };
  if (facts.paused) return { ...o, outcome: 'paused', closedAt: o.startedAt };
  if (facts.voluntaryAt !== undefined)
    return {
      ...o,
      outcome: 'satisfied',
      satisfiedBy: 'voluntary',
      answeredAt: facts.voluntaryAt,
      closedAt: o.startedAt,
    };
  if (facts.activityAt !== undefined)
    return { ...o, outcome: 'satisfied', satisfiedBy: 'activity', answeredAt: facts.activityAt, closedAt: o.startedAt };
  return { ...o, outcome: 'pending', promptsSent: 1 };
}

/** The next moment a pending occurrence needs attention: its next re-prompt, or the close of its window. */
export function nextStep(o: Occurrence, spec: LadderSpec): { at: number; kind: 'reprompt' | 'close' } | undefined {
  if (o.outcome !== 'pending') return undefined;
  if (o.promptsSent < 1 + spec.reprompts)
    return { at: o.startedAt + o.promptsSent * spec.repromptEveryMinutes * MINUTE, kind: 'reprompt' };
  return { at: closesAt(o, spec), kind: 'close' };
}

export interface StepFacts {
  absent: boolean;
  /** Activity since `activityFrom`, looked up only for `satisfiedBy: activity`. */
  activityAt: number | undefined;
  /** "hub down from … to …" when this step fell due while the hub was down. */
  detectedLate: string | undefined;
}

/**
 * Takes the step that is due at `now`. A re-prompt that is overdue by more than one interval
 * (the hub was down) is sent once for all the missed ones, never as a burst.
 */
export function takeStep(o: Occurrence, spec: LadderSpec, now: number, facts: StepFacts): Occurrence {
  const step = nextStep(o, spec);
  if (!step || step.at > now) return o;
  const late = facts.detectedLate === undefined ? {} : { detectedLate: facts.detectedLate };
  if (facts.absent) return { ...o, ...late, outcome: 'absent', closedAt: now };
  if (step.kind === 'reprompt') {
    const elapsed = Math.floor((now - o.startedAt) / (spec.repromptEveryMinutes * MINUTE));
    return { ...o, promptsSent: Math.min(1 + spec.reprompts, Math.max(o.promptsSent + 1, elapsed + 1)) };
  }
  if (facts.activityAt !== undefined)
    return {
      ...o,
      ...late,
      outcome: 'satisfied',
      satisfiedBy: 'activity',
      answeredAt: facts.activityAt,
      closedAt: now,
    };
  return { ...o, ...late, outcome: 'missed', closedAt: now };
}

export interface Answer {
  ts: number;
  answer: NonNullable<Occurrence['answer']>;
  items: Occurrence['items'];
}

/**
 * Applies an answer. The first answer settles a pending check-in, even one that arrives after
 * the window when the close has not been taken yet (a held message after an outage): the
 * resident is known to be there, so no missed alert follows. An answer to a check-in already
 * missed is recorded as late; repeats change nothing.
 */
export function applyAnswer(o: Occurrence, spec: LadderSpec, a: Answer): Occurrence {
  if (o.outcome === 'pending') {
    const late = a.ts > closesAt(o, spec) ? { lateAnswerAt: a.ts } : {};
    return { ...o, ...late, outcome: 'answered', answer: a.answer, items: a.items, answeredAt: a.ts, closedAt: a.ts };
  }
  if (o.outcome === 'missed' && o.lateAnswerAt === null)
    return { ...o, answer: a.answer, items: a.items, lateAnswerAt: a.ts };
  return o;
}

/** Missed check-ins in a row, newest first; absences, pauses and outages neither count nor break the run. */
export function consecutiveMisses(newestFirst: Iterable<Occurrence['outcome']>): number {
  let misses = 0;
  for (const outcome of newestFirst) {
    if (outcome === 'missed') misses += 1;
    else if (outcome === 'answered' || outcome === 'satisfied') break;
  }
  return misses;
}

/**
 * A new occurrence of a schedule falling due at `dueAt`, begun at `startedAt` (later after a
 * restart, with `detectedLate` saying the hub was down); its id is the prompt id.
 */
export function freshOccurrence(
  schedule: Pick<StoredSchedule, 'id' | 'residentId' | 'homeId'>,
  dueAt: number,
  startedAt: number,
  detectedLate: string | null,
): Occurrence {
  return {
    id: `ck_${schedule.id}_${dueAt.toString(36)}`,
    scheduleId: schedule.id,
    residentId: schedule.residentId,
    homeId: schedule.homeId,
    dueAt,
    startedAt,
    outcome: 'pending',
    promptsSent: 0,
    answer: null,
    items: null,
    answeredAt: null,
    lateAnswerAt: null,
    satisfiedBy: null,
    detectedLate,
    closedAt: null,
  };
}

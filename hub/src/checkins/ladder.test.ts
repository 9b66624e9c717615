import { describe, expect, it } from 'vitest';
import type { Occurrence } from '../store/index.js';
import { dailyAt, latestAtOrBefore, localParts, nextAfter } from './cron.js';
import { applyAnswer, begin, closesAt, consecutiveMisses, freshOccurrence, nextStep, takeStep } from './ladder.js';

const MINUTE = 60_000;
const utc = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('check-in times in the resident’s time zone', () => {
  it.each([
    // Tokyo has no DST: 9:00 JST is 00:00 UTC every day.
    ['0 9 * * *', 'Asia/Tokyo', '2026-11-23T00:00:00Z', '2026-11-24T00:00:00.000Z'],
    ['0 9,19 * * *', 'Asia/Tokyo', '2026-11-23T00:00:00Z', '2026-11-23T10:00:00.000Z'],
    // A check-in at midnight belongs to the next day, not the one that is ending.
    ['0 0 * * *', 'Asia/Tokyo', '2026-11-23T14:59:00Z', '2026-11-23T15:00:00.000Z'],
    // London springs forward on 29 March 2026: 09:00 is 09:00 UTC before, 08:00 UTC after.
    ['0 9 * * *', 'Europe/London', '2026-03-28T09:00:00Z', '2026-03-29T08:00:00.000Z'],
    // …and falls back on 25 October: 09:00 is 09:00 UTC again.
    ['0 9 * * *', 'Europe/London', '2026-10-24T08:00:00Z', '2026-10-25T09:00:00.000Z'],
    // New York: 8 March 2026 (EST → EDT) and 1 November 2026 (EDT → EST).
    ['0 9 * * *', 'America/New_York', '2026-03-07T14:00:00Z', '2026-03-08T13:00:00.000Z'],
    ['0 9 * * *', 'America/New_York', '2026-10-31T13:00:00Z', '2026-11-01T14:00:00.000Z'],
  ])('%s in %s after %s is %s', (cron, tz, after, expected) => {
    expect(iso(nextAfter(cron, tz, utc(after)))).toBe(expected);
  });

  it('does not ask twice when the clock falls back over the check-in time', () => {
    // 01:30 happens twice in London on 25 October 2026; the check-in is asked once.
    const first = nextAfter('30 1 * * *', 'Europe/London', utc('2026-10-24T12:00:00Z'));
    const second = nextAfter('30 1 * * *', 'Europe/London', first);
    expect(second - first).toBeGreaterThanOrEqual(24 * 60 * MINUTE);
  });

  it('finds the latest time at or before an instant, and the local date and hour', () => {
    expect(iso(latestAtOrBefore(dailyAt('04:00'), 'Asia/Tokyo', utc('2026-11-23T00:00:00Z')))).toBe(
      '2026-11-22T19:00:00.000Z',
    );
    expect(iso(latestAtOrBefore(dailyAt('09:00'), 'Asia/Tokyo', utc('2026-11-23T00:00:00Z')))).toBe(
      '2026-11-23T00:00:00.000Z',
    );
    expect(localParts(utc('2026-11-22T15:30:00Z'), 'Asia/Tokyo')).toEqual({
      date: '2026-11-23',
      hour: 0,
      time: '00:30',
    });
    expect(dailyAt('07:05')).toBe('5 7 * * *');
  });
});

const DUE = utc('2026-11-23T00:00:00Z');
const spec = { windowMinutes: 60, reprompts: 2, repromptEveryMinutes: 20 };
const fresh: Occurrence = freshOccurrence({ id: 's1', residentId: 'r1', homeId: 'h1' }, DUE, DUE, null);
const noFacts = { absent: false, paused: false, voluntaryAt: undefined, activityAt: undefined };
const stepFacts = { absent: false, activityAt: undefined, detectedLate: undefined };

describe('the prompt ladder', () => {
  it.each([
    ['no prompt during an absence', { ...noFacts, absent: true }, { outcome: 'absent', promptsSent: 0 }],
    ['no prompt while paused', { ...noFacts, paused: true }, { outcome: 'paused' }],
    [
      'a voluntary check-in just before satisfies it',
      { ...noFacts, voluntaryAt: DUE - 30 * MINUTE },
      { outcome: 'satisfied', satisfiedBy: 'voluntary', answeredAt: DUE - 30 * MINUTE },
    ],
    [
      'activity satisfies it when the schedule allows',
      { ...noFacts, activityAt: DUE - 60 * MINUTE },
      { outcome: 'satisfied', satisfiedBy: 'activity' },
    ],
    ['otherwise the first prompt', noFacts, { outcome: 'pending', promptsSent: 1 }],
  ])('begins: %s', (_, facts, expected) => {
    expect(begin(fresh, facts)).toMatchObject(expected);
  });

  it('re-prompts every 20 minutes, then closes the window after an hour as missed', () => {
    let o = begin(fresh, noFacts);
    const steps: string[] = [];
    for (let step = nextStep(o, spec); step; step = nextStep(o, spec)) {
      steps.push(`${step.kind}@${(step.at - DUE) / MINUTE}`);
      o = takeStep(o, spec, step.at, stepFacts);
    }
    expect(steps).toEqual(['reprompt@20', 'reprompt@40', 'close@60']);
    expect(o).toMatchObject({ outcome: 'missed', promptsSent: 3, closedAt: DUE + 60 * MINUTE });
    expect(closesAt(o, spec)).toBe(DUE + 60 * MINUTE);
  });

  it('sends one re-prompt for several that fell due while the hub was down, never a burst', () => {
    const o = takeStep(begin(fresh, noFacts), spec, DUE + 45 * MINUTE, stepFacts);
    expect(o.promptsSent).toBe(3);
    expect(nextStep(o, spec)).toEqual({ at: DUE + 60 * MINUTE, kind: 'close' });
  });

  it('marks a close that fell due while the hub was down as detected late', () => {
    const pending = { ...begin(fresh, noFacts), promptsSent: 3 };
    expect(
      takeStep(pending, spec, DUE + 90 * MINUTE, { ...stepFacts, detectedLate: 'hub down from a to b' }),
    ).toMatchObject({ outcome: 'missed', detectedLate: 'hub down from a to b' });
  });

  it('does nothing for a step that is not due yet', () => {
    const o = begin(fresh, noFacts);
    expect(takeStep(o, spec, DUE + 19 * MINUTE, stepFacts)).toBe(o);
  });

  it.each([
    ['on time', 10, { outcome: 'answered', answer: 'fine', lateAnswerAt: null }],
    // A held answer that arrives after the window, before the close was taken: the resident is there.
    ['held past the window', 75, { outcome: 'answered', lateAnswerAt: DUE + 75 * MINUTE }],
  ])('takes an answer %s', (_, minutes, expected) => {
    expect(
      applyAnswer(begin(fresh, noFacts), spec, { ts: DUE + minutes * MINUTE, answer: 'fine', items: null }),
    ).toMatchObject(expected);
  });

  it('records an answer to a missed check-in as late, and ignores a second answer and answers to settled ones', () => {
    const missed = { ...begin(fresh, noFacts), outcome: 'missed' as const, closedAt: DUE + 60 * MINUTE };
    const late = applyAnswer(missed, spec, { ts: DUE + 90 * MINUTE, answer: 'unwell', items: null });
    expect(late).toMatchObject({ outcome: 'missed', answer: 'unwell', lateAnswerAt: DUE + 90 * MINUTE });
    expect(applyAnswer(late, spec, { ts: DUE + 95 * MINUTE, answer: 'fine', items: null })).toBe(late);
    const answered = applyAnswer(begin(fresh, noFacts), spec, { ts: DUE + MINUTE, answer: 'fine', items: null });
    expect(applyAnswer(answered, spec, { ts: DUE + 2 * MINUTE, answer: 'help', items: null })).toBe(answered);
  });

  it.each([
    [['missed', 'missed', 'answered', 'missed'], 2],
    [['missed', 'absent', 'not_asked', 'missed', 'satisfied'], 2],
    [['answered', 'missed'], 0],
    [['paused', 'missed', 'missed', 'missed'], 3],
    [[], 0],
  ] as const)('counts missed check-ins in a row (newest first) %j as %d', (outcomes, expected) => {
    expect(consecutiveMisses(outcomes)).toBe(expected);
  });
});

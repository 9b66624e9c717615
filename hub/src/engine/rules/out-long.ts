import { ACTIVITY_EVENT_TYPES, type RuleParams } from '@mimamori/contract';
import { z } from 'zod';
import { OUT_AFTER_MS } from '../presence.js';
import { isInside, nextLocalMinute } from '../../time/local-time.js';
import { DAYTIME } from '../daytime.js';
import type { Decision, RuleEvaluator } from '../decisions.js';
import { defineRuleType } from '../rule-type.js';
import { clear, clockTime, dateTime, duration, raise } from './wording.js';

const outLongState = z.object({
  /** The outing the open alert is about (when the door closed behind the resident). */
  alertedFor: z.number().nullable(),
});
export type OutLongState = z.infer<typeof outLongState>;

const MINUTE = 60_000;

/**
 * `out.long` (issue 18.5): the resident left through the front door and the home has stayed
 * silent since (stray triggers do not count), for longer than staff think an outing may last:
 * `dayMinutes` from leaving, or `nightMinutes` into the night (21:00–07:00), whichever comes
 * first. The words say that they are probably out, not that something happened at home. A
 * registered absence is the strong form of "out": during one the rule does not run. Coming
 * home clears it.
 */
export const evaluateOutLong: RuleEvaluator<OutLongState, RuleParams<'out.long'>> = (previous, input, rule, now) => {
  const { home } = input;
  const state = { ...(previous ?? { alertedFor: null }) };
  const decisions: Decision[] = [];
  const { lastActivityAt, lastWasDoor } = home.presence;
  const leftAt = lastWasDoor ? lastActivityAt : undefined;

  if (state.alertedFor !== null && leftAt !== state.alertedFor) {
    const back = lastActivityAt ?? now;
    decisions.push(
      clear(rule, home, {
        ja: `${dateTime(back, home).ja}に戻られました。`,
        en: `Back home at ${dateTime(back, home).en}.`,
      }),
    );
    state.alertedFor = null;
  }
  if (leftAt === undefined || state.alertedFor !== null) return { state, decisions, wakeAt: undefined };

  const nightFrom = isInside(leftAt, home.timezone, DAYTIME)
    ? nextLocalMinute(leftAt, home.timezone, DAYTIME.to)
    : leftAt;
  const due = Math.max(
    leftAt + OUT_AFTER_MS,
    Math.min(leftAt + rule.params.dayMinutes * MINUTE, nightFrom + rule.params.nightMinutes * MINUTE),
  );
  if (now < due) return { state, decisions, wakeAt: due };

  state.alertedFor = leftAt;
  const away = duration(Math.floor((now - leftAt) / (30 * MINUTE)) * 30);
  decisions.push(
    raise(rule, home, {
      ja: `${clockTime(leftAt, home)}に玄関のドアが開閉してから、${away.ja}以上家の中で動きがありません（外出中の可能性があります）。`,
      en: `No activity at home for over ${away.en} since the front door at ${clockTime(leftAt, home)} (probably out).`,
    }),
  );
  return { state, decisions, wakeAt: undefined };
};

export const outLong = defineRuleType('out.long', {
  defaultSeverity: 'warning',
  reads: ACTIVITY_EVENT_TYPES,
  pausedByAbsence: true,
  state: outLongState,
  evaluate: evaluateOutLong,
});

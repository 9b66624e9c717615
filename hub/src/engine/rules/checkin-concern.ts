import type { CheckinItem, RuleParams } from '@mimamori/contract';
import { z } from 'zod';
import { defineRuleType } from '../rule-type.js';
import type { RaiseAlert, RuleEvaluator } from '../decisions.js';
import { raise as raiseFor } from './wording.js';

const ITEM_NAMES: Record<CheckinItem, { ja: string; en: string }> = {
  health: { ja: '体調', en: 'health' },
  medication: { ja: '服薬', en: 'medication' },
  sleep: { ja: '睡眠', en: 'sleep' },
  meal: { ja: '食事', en: 'meals' },
};

/**
 * `checkin.concern`: a check-in answered `help` (critical), `unwell` (warning), or with an item
 * `not_ok` (warning, the item named). Every answer counts, prompted or voluntary, on time or
 * late: a resident asking for help is never ignored because the window had closed.
 */
export const evaluateCheckinConcern: RuleEvaluator<undefined, RuleParams<'checkin.concern'>> = (state, input, rule) => {
  if (input.kind !== 'event' || input.event.type !== 'checkin') return { state, decisions: [], wakeAt: undefined };
  const { event, home } = input;
  const { answer, items, residentId } = event.data;
  const notOk = Object.entries(items ?? {})
    .filter(([, value]) => value === 'not_ok')
    .map(([item]) => ITEM_NAMES[item as CheckinItem]);
  const raise = (severity: RaiseAlert['severity'], message: RaiseAlert['message']): RaiseAlert => ({
    ...raiseFor(rule, home, message, { source: event, severity }),
    residentId: residentId ?? home.residentId,
  });
  const itemsJa = notOk.length > 0 ? `（気になる項目: ${notOk.map((i) => i.ja).join('・')}）` : '';
  const itemsEn = notOk.length > 0 ? ` (concerns: ${notOk.map((i) => i.en).join(', ')})` : '';
  if (answer === 'help') {
    return {
      state,
      wakeAt: undefined,
      decisions: [
        raise('critical', {
          ja: `見守り確認で「助けて」と答えがありました。至急確認してください。${itemsJa}`,
          en: `The resident asked for help at check-in. Please check on them now.${itemsEn}`,
        }),
      ],
    };
  }
  if (answer === 'unwell') {
    return {
      state,
      wakeAt: undefined,
      decisions: [
        raise(rule.severity, {
          ja: `見守り確認で「体調が悪い」と答えがありました。様子を確認してください。${itemsJa}`,
          en: `The resident said they feel unwell at check-in. Please check how they are.${itemsEn}`,
        }),
      ],
    };
  }
  if (notOk.length > 0) {
    return {
      state,
      wakeAt: undefined,
      decisions: [
        raise(rule.severity, {
          ja: `見守り確認で${notOk.map((i) => `「${i.ja}」`).join('・')}に気になる答えがありました。`,
          en: `The check-in answer raised a concern about ${notOk.map((i) => i.en).join(', ')}.`,
        }),
      ],
    };
  }
  return { state, decisions: [], wakeAt: undefined };
};

export const checkinConcern = defineRuleType('checkin.concern', {
  defaultSeverity: 'warning',
  reads: ['checkin'],
  pausedByAbsence: false,
  state: z.undefined(),
  evaluate: evaluateCheckinConcern,
});

import type { RuleParams } from '@mimamori/contract';
import { z } from 'zod';
import { defineRuleType } from '../rule-type.js';
import type { Decision, RuleEvaluator } from '../decisions.js';
import { clear, duration, raise } from './wording.js';

const environmentState = z.object({
  /** When the room first read beyond the threshold in this episode; null when it is fine. */
  overSince: z.number().nullable(),
  lastC: z.number().nullable(),
  askedAt: z.number().nullable(),
  answeredAt: z.number().nullable(),
  firing: z.boolean(),
});
export type EnvironmentState = z.infer<typeof environmentState>;

type EnvironmentParams = RuleParams<'environment.heat'> | RuleParams<'environment.cold'>;
const MINUTE = 60_000;
const IDLE: EnvironmentState = { overSince: null, lastC: null, askedAt: null, answeredAt: null, firing: false };

const WORDS = {
  hot: {
    ask: (c: string) => ({
      ja: `室温が${c}℃まで上がっています。エアコンをつけて、水分をとりましょう。大丈夫ですか？`,
      en: `The room is at ${c}°C. Please turn on the air conditioner and drink some water. Are you all right?`,
    }),
    state: { ja: '高い', en: 'high' },
    cleared: { ja: '室温が下がりました。', en: 'The room has cooled down.' },
  },
  cold: {
    ask: (c: string) => ({
      ja: `室温が${c}℃まで下がっています。暖房をつけて、暖かくしてください。大丈夫ですか？`,
      en: `The room is down to ${c}°C. Please turn on the heating and keep warm. Are you all right?`,
    }),
    state: { ja: '低い', en: 'low' },
    cleared: { ja: '室温が戻りました。', en: 'The room has warmed up again.' },
  },
} as const;

/**
 * `environment.heat` and `environment.cold`: the indoor temperature beyond `thresholdC` for
 * `durationMinutes`. Heat stroke indoors is common among older people living alone, and most
 * can act for themselves when told, so with `askFirst` the hub first asks the resident through
 * the speaker ("エアコンをつけましょう") and alerts the network only if the room stays hot and
 * nobody answers within `answerWaitMinutes`. The reading must come back past the threshold by
 * `hysteresisC` to end the episode; that clears the alert.
 */
function environmentRule(direction: 'hot' | 'cold'): RuleEvaluator<EnvironmentState, EnvironmentParams> {
  const words = WORDS[direction];
  return (previous, input, rule, now) => {
    const { home } = input;
    const { thresholdC, hysteresisC, durationMinutes, askFirst, answerWaitMinutes } = rule.params;
    const state = { ...(previous ?? IDLE) };
    const decisions: Decision[] = [];

    const reading = input.kind === 'event' && input.event.type === 'environment' ? input.event : undefined;
    const c = reading?.data.temperatureC;
    if (reading && c !== undefined) {
      const over = direction === 'hot' ? c >= thresholdC : c <= thresholdC;
      const back = direction === 'hot' ? c < thresholdC - hysteresisC : c > thresholdC + hysteresisC;
      state.lastC = c;
      if (over && state.overSince === null) state.overSince = reading.ts;
      if (back && state.overSince !== null) {
        if (state.firing) decisions.push(clear(rule, home, words.cleared));
        return { state: { ...IDLE, lastC: c }, decisions, wakeAt: undefined };
      }
    }
    if (
      input.kind === 'event' &&
      input.event.type === 'checkin' &&
      state.askedAt !== null &&
      input.event.ts >= state.askedAt
    ) {
      state.answeredAt ??= input.event.ts;
    }
    if (state.overSince === null || state.firing) return { state, decisions, wakeAt: undefined };

    const sustainedAt = state.overSince + durationMinutes * MINUTE;
    if (now < sustainedAt) return { state, decisions, wakeAt: sustainedAt };
    const shown = (state.lastC ?? thresholdC).toFixed(1);
    if (askFirst && state.askedAt === null) {
      state.askedAt = now;
      decisions.push({
        kind: 'ask',
        homeId: home.homeId,
        residentId: home.residentId,
        rule: rule.id,
        promptId: `${rule.id}_${now.toString(36)}`,
        text: words.ask(shown),
        expiresAt: now + answerWaitMinutes * MINUTE,
      });
      return { state, decisions, wakeAt: now + answerWaitMinutes * MINUTE };
    }
    // The resident answered: they know, and a "help" or "unwell" answer raises checkin.concern itself.
    if (state.answeredAt !== null) return { state, decisions, wakeAt: undefined };
    if (state.askedAt !== null && now < state.askedAt + answerWaitMinutes * MINUTE)
      return { state, decisions, wakeAt: state.askedAt + answerWaitMinutes * MINUTE };

    state.firing = true;
    const span = duration(Math.round((now - state.overSince) / MINUTE));
    const asked =
      state.askedAt !== null
        ? { ja: 'スピーカーで呼びかけましたが、応答がありません。', en: ' The speaker asked the resident; no answer.' }
        : { ja: '', en: '' };
    decisions.push(
      raise(rule, home, {
        ja: `室温が${shown}℃と${words.state.ja}状態が${span.ja}続いています。${asked.ja}`,
        en: `The room has been ${words.state.en} (${shown}°C) for ${span.en}.${asked.en}`,
      }),
    );
    return { state, decisions, wakeAt: undefined };
  };
}

export const evaluateHeat = environmentRule('hot');
export const evaluateCold = environmentRule('cold');

// The resident's answer to the rule's question comes as a check-in.
export const environmentHeat = defineRuleType('environment.heat', {
  defaultSeverity: 'warning',
  reads: ['environment', 'checkin'],
  pausedByAbsence: true,
  state: environmentState,
  evaluate: evaluateHeat,
});

export const environmentCold = defineRuleType('environment.cold', {
  defaultSeverity: 'warning',
  reads: ['environment', 'checkin'],
  pausedByAbsence: true,
  state: environmentState,
  evaluate: evaluateCold,
});

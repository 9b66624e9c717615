import type { RuleParams } from '@mimamori/contract';
import { z } from 'zod';
import { defineRuleType } from '../rule-type.js';
import type { RuleEvaluator } from '../decisions.js';
import { raise } from './wording.js';

/** What happened, with its subject (「SOSボタンでSOSが発信されました」 said SOS twice, issue 20). */
const SOS_JA = {
  button: 'SOSボタンが押されました',
  voice: '声で助けを求めています',
  pendant: 'ペンダントのSOSボタンが押されました',
} as const;
const VIA_EN = { button: 'SOS button', voice: 'voice', pendant: 'pendant' } as const;

/** `sos`: every SOS event raises a critical alert at once (PROTOCOL.md rule catalogue). */
export const evaluateSos: RuleEvaluator<undefined, RuleParams<'sos'>> = (state, input, rule) => {
  if (input.kind !== 'event' || input.event.type !== 'sos') return { state, decisions: [], wakeAt: undefined };
  const { event, home } = input;
  const { via: how, residentId } = event.data;
  const message = {
    ja: `${SOS_JA[how]}。至急、様子を確認してください。`,
    en: `SOS raised by ${VIA_EN[how]}. Please check on the resident now.`,
  };
  // Always critical, whatever the rule's severity says (PROTOCOL.md).
  const decision = raise(rule, home, message, { source: event, severity: 'critical' });
  return { state, decisions: [{ ...decision, residentId: residentId ?? home.residentId }], wakeAt: undefined };
};

export const sos = defineRuleType('sos', {
  defaultSeverity: 'critical',
  reads: ['sos'],
  pausedByAbsence: false,
  state: z.undefined(),
  evaluate: evaluateSos,
});

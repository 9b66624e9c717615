import { z } from 'zod';
import type { RuleEvaluator } from '../decisions.js';

export const sosParams = z.object({}).strict();
export type SosParams = z.infer<typeof sosParams>;

const VIA_JA = { button: 'SOSボタン', voice: '音声', pendant: 'ペンダント' } as const;
const VIA_EN = { button: 'SOS button', voice: 'voice', pendant: 'pendant' } as const;
const via = z.object({ via: z.enum(['button', 'voice', 'pendant']), residentId: z.string().optional() });

/** `sos`: every SOS event raises a critical alert at once (PROTOCOL.md rule catalogue). */
export const evaluateSos: RuleEvaluator<undefined, SosParams> = (state, input) => {
  if (input.type !== 'sos') return { state, decisions: [] };
  // The journal holds only contract-validated events, so this parse cannot fail on live data.
  const { via: how, residentId } = via.parse(input.data);
  return {
    state,
    decisions: [
      {
        kind: 'raise',
        homeId: input.homeId,
        residentId,
        rule: 'sos',
        severity: 'critical',
        message: {
          ja: `${VIA_JA[how]}でSOSが発信されました。至急確認してください。`,
          en: `SOS raised by ${VIA_EN[how]}. Please check on the resident now.`,
        },
        sourceEventSeq: input.seq,
      },
    ],
  };
};

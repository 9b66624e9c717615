import { ACTIVITY_AND_LIVENESS_EVENT_TYPES, ACTIVITY_SENSOR_KINDS, type RuleParams } from '@mimamori/contract';
import { z } from 'zod';
import { defineRuleType } from '../rule-type.js';
import { afterTimeInside } from '../../time/local-time.js';
import type { Decision, RuleEvaluator } from '../decisions.js';
import { dateTime, duration, movedAt, raise } from './wording.js';

const inactivityState = z.object({
  lastActivityAt: z.number(),
  /** The last message of any kind from a motion, door or power sensor. */
  lastSensorAt: z.number(),
  firing: z.boolean(),
});
export type InactivityState = z.infer<typeof inactivityState>;

const MINUTE = 60_000;

/**
 * `inactivity`: no activity of the resident (presence.ts: a stray trigger in a silent home is not
 * the resident) for `durationMinutes`, counting only time inside `activeHours` when the rule has
 * them (a daytime rule is not fooled by a night's sleep). While the resident is probably out it
 * does not judge (`out.long` does). It is the ceiling the faster rules stay under, so it judges
 * even when no activity sensor has said anything since the last activity: sensors that report
 * changes only are silent when nobody moves, and a fall looks exactly like that. The alert then
 * says the sensors were silent too, so whoever goes knows it may be a fault. The resident's
 * activity clears the alert; a stray does not (18.6).
 */
export const evaluateInactivity: RuleEvaluator<InactivityState, RuleParams<'inactivity'>> = (
  previous,
  input,
  rule,
  now,
) => {
  const { home } = input;
  const state = { ...(previous ?? { lastActivityAt: now, lastSensorAt: now, firing: false }) };
  const decisions: Decision[] = [];

  if (input.kind === 'event') {
    const { event } = input;
    const kind = home.devices.find((d) => d.id === event.deviceId)?.kind;
    if (kind && ACTIVITY_SENSOR_KINDS.has(kind)) state.lastSensorAt = Math.max(state.lastSensorAt, event.ts);
  }
  const last = home.presence.lastActivityAt;
  if (last !== undefined && last > state.lastActivityAt) {
    state.lastActivityAt = last;
    if (state.firing) {
      state.firing = false;
      decisions.push(movedAt(rule, home, last));
    }
  }

  // Out is not stillness: the rule waits for the resident's next activity (coming home).
  if (state.firing || home.presence.outSince !== undefined) return { state, decisions, wakeAt: undefined };
  // The cheap lower bound first: with active hours the real deadline can only be later.
  const earliestDue = state.lastActivityAt + rule.params.durationMinutes * MINUTE;
  if (now < earliestDue) return { state, decisions, wakeAt: earliestDue };
  const due = afterTimeInside(
    state.lastActivityAt,
    rule.params.durationMinutes * MINUTE,
    home.timezone,
    rule.activeHours,
  );
  if (now < due) return { state, decisions, wakeAt: due };

  state.firing = true;
  const sensorsSilent =
    state.lastSensorAt <= state.lastActivityAt
      ? {
          ja: 'この間、センサーからの連絡もありません（センサーの故障の可能性もあります）。',
          en: ' The sensors have sent nothing either (they may have failed).',
        }
      : { ja: '', en: '' };
  const since = dateTime(state.lastActivityAt, home);
  const span = duration(rule.params.durationMinutes);
  const during = rule.activeHours
    ? { ja: '（日中の時間帯で数えて）', en: ' (counting daytime hours only)' }
    : { ja: '', en: '' };
  decisions.push(
    raise(rule, home, {
      ja: `最後に動きがあったのは${since.ja}です。${span.ja}以上${during.ja}、家の中で動きがありません。${sensorsSilent.ja}`,
      en: `No activity in the home for over ${span.en}${during.en}; the last was at ${since.en}.${sensorsSilent.en}`,
    }),
  );
  return { state, decisions, wakeAt: undefined };
};

// Heartbeats too: they show that a quiet sensor is alive, so its silence is the resident's.
export const inactivity = defineRuleType('inactivity', {
  defaultSeverity: 'warning',
  reads: ACTIVITY_AND_LIVENESS_EVENT_TYPES,
  pausedByAbsence: true,
  state: inactivityState,
  evaluate: evaluateInactivity,
});

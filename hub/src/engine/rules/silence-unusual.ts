import { ACTIVITY_AND_LIVENESS_EVENT_TYPES, type RuleParams } from '@mimamori/contract';
import { z } from 'zod';
import {
  afterTimeInside,
  lastLocalMinute,
  localMinuteOfDay,
  nextLocalMinute,
  utcOffsetMs,
} from '../../time/local-time.js';
import type { Baseline } from '../baseline.js';
import { DAY_STARTS_AT_MINUTE } from '../day-summary.js';
import { DAYTIME } from '../daytime.js';
import type { Decision, HomeContext, RuleEvaluator } from '../decisions.js';
import { learnedView } from '../learned-baseline.js';
import { defineRuleType } from '../rule-type.js';
import { dayBegun, followDay } from '../runs.js';
import { dateTime, duration, movedAt, raise } from './wording.js';

const silenceUnusualState = z.object({
  /** The resident's last activity: the silence being watched began then. */
  silenceFrom: z.number(),
  /** Whether, and when, the resident's day began: a silence before it is the night's, wake.late's concern. */
  day: dayBegun,
  firing: z.boolean(),
});
export type SilenceUnusualState = z.infer<typeof silenceUnusualState>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * `silence.unusual` (issue 18.3): the home has been silent for much longer than this resident
 * is ever silent at this time of day. Each local hour has its own usual longest silence, learned
 * from the silences of the last 28 days that began after the resident was up (naps after lunch,
 * TV in the evening, the first hours of the night); the rule takes the hour's and its
 * neighbours' (a nap an hour later than usual is still usual) and alerts once the silence passes
 * it by `marginMinutes` (or `marginPct`, if more), never before `floorMinutes`. Whatever was
 * learned, and while an hour is not learned yet (fewer than `minDays` days), it alerts after
 * `ceilingMinutes` of silence counted by day (07:00–21:00, as `inactivity` does: a night's sleep
 * is not counted). It explains itself in the resident's own terms.
 * While the resident is probably out it waits (`out.long` watches that); while the sensors are
 * silent too it leaves the home to `inactivity`, which judges then as well. Only the resident's
 * activity (a stray is not) clears it.
 */
export const evaluateSilenceUnusual: RuleEvaluator<SilenceUnusualState, RuleParams<'silence.unusual'>> = (
  previous,
  input,
  rule,
  now,
) => {
  const { home } = input;
  const last = home.presence.lastActivityAt ?? now;
  const dayStart = lastLocalMinute(now, home.timezone, DAY_STARTS_AT_MINUTE);
  // A rule that starts watching (a new home, after an absence) counts the silence from then on.
  const state: SilenceUnusualState = {
    silenceFrom: previous?.silenceFrom ?? now,
    day: followDay(previous?.day, home.presence.confirmed, dayStart),
    firing: previous?.firing ?? false,
  };
  const decisions: Decision[] = [];
  if (last > state.silenceFrom) {
    state.silenceFrom = last;
    if (state.firing) {
      state.firing = false;
      decisions.push(movedAt(rule, home, last));
    }
  }
  const quietSensors = home.presence.lastActivityAt !== undefined && !home.presence.sensorsAlive;
  if (state.firing || home.presence.outSince !== undefined || quietSensors)
    return { state, decisions, wakeAt: undefined };

  const due = dueAt(state, Math.max(now, state.silenceFrom), home, rule.params);
  if (now < due.at) return { state, decisions, wakeAt: due.at };

  state.firing = true;
  const since = dateTime(state.silenceFrom, home);
  const silent = duration(Math.floor((now - state.silenceFrom) / (10 * MINUTE)) * 10);
  decisions.push(
    raise(
      rule,
      home,
      due.usual === undefined
        ? {
            ja: `最後に動きがあったのは${since.ja}です。${silent.ja}以上、家の中で動きがありません。`,
            en: `No activity in the home for over ${silent.en}; the last was at ${since.en}.`,
          }
        : {
            ja: `最後に動きがあったのは${since.ja}です。この時間帯に${silent.ja}以上動きがないことは、これまでありませんでした（いつもは長くても${duration(due.usual).ja}ほど）。`,
            en: `No activity for over ${silent.en} since ${since.en}; never before this long at this time of day (usually at most ${duration(due.usual).en}).`,
          },
    ),
  );
  return { state, decisions, wakeAt: undefined };
};

/**
 * When the silence reaches its limit, from `from` on: the first hour of the day whose learned
 * limit it passes, or a ceiling, whichever comes first; with the hour's usual silence when a
 * learned limit is the one.
 */
function dueAt(
  state: SilenceUnusualState,
  from: number,
  home: HomeContext,
  params: RuleParams<'silence.unusual'>,
): { at: number; usual: number | undefined } {
  const { silenceFrom } = state;
  const { timezone } = home;
  const byDay = afterTimeInside(silenceFrom, params.ceilingMinutes * MINUTE, timezone, DAYTIME);
  const ceiling = { at: Math.max(from, byDay), usual: undefined };
  // Learned limits speak of silences begun after the day began, and of this day only (until 04:00).
  if (state.day.upSince === null || silenceFrom < state.day.upSince) return ceiling;
  const learned = learnedView(home, params.minDays, from);
  if (!learned) return ceiling;
  const { baseline } = learned;
  // With a dead sensor's share of the signals gone, the resident is unseen that much more of the
  // time, and silences between the signals left stretch by about 1 / (1 - share).
  const stretch = 1 / (1 - learned.unseen);
  const dayEnd = nextLocalMinute(from, timezone, DAY_STARTS_AT_MINUTE);
  for (let slot = from; slot < Math.min(dayEnd, ceiling.at);) {
    const offset = utcOffsetMs(timezone, slot);
    const end = (Math.floor((slot + offset) / HOUR) + 1) * HOUR - offset;
    const hour = Math.floor(localMinuteOfDay(slot, timezone) / 60);
    const usual = usualSilence(baseline, hour, params.minDays);
    if (usual !== undefined) {
      const seen = usual * stretch;
      const margin = Math.max(params.marginMinutes, (seen * params.marginPct) / 100);
      const at = Math.max(slot, silenceFrom + Math.max(params.floorMinutes, seen + margin) * MINUTE);
      if (at < end && at < ceiling.at) return { at, usual };
    }
    slot = end;
  }
  return ceiling;
}

/**
 * The longest silence the resident is usually in around a local hour, once the hour is learned:
 * the largest of the hour's and its neighbours' (each the second-longest of its days).
 */
function usualSilence(baseline: Baseline, hour: number, minDays: number): number | undefined {
  if ((baseline.silence[hour]?.days ?? 0) < minDays) return undefined;
  return Math.max(...[hour - 1, hour, hour + 1].map((h) => baseline.silence[(h + 24) % 24]?.usual ?? 0));
}

// Heartbeats too: they show that a quiet sensor is alive, so its silence is the resident's.
export const silenceUnusual = defineRuleType('silence.unusual', {
  defaultSeverity: 'warning',
  reads: ACTIVITY_AND_LIVENESS_EVENT_TYPES,
  pausedByAbsence: true,
  learned: true,
  state: silenceUnusualState,
  evaluate: evaluateSilenceUnusual,
});

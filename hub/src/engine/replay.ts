import type { StoredEvent } from '../store/index.js';
import type { Baseline } from './baseline.js';
import type { RuleState, RuleTypeDefinition } from './rule-type.js';
import type { Decision, HomeContext, RuleInput, RuleSettings } from './decisions.js';

export interface ReplayInput {
  definition: Pick<RuleTypeDefinition, 'run' | 'evaluates' | 'reads' | 'pausedByAbsence'>;
  settings: RuleSettings<unknown>;
  /** The home; its baseline is taken from `baselineAt` instead when that is given. */
  home: HomeContext;
  /** The baseline as it would have been at an instant (learned rules judge each day by the days before). */
  baselineAt?: ((at: number) => Baseline | undefined) | undefined;
  /** Whether an absence was active at an instant. */
  absentAt?: ((at: number) => boolean) | undefined;
  /** The home's events, oldest first; those the rule does not read are skipped. */
  events: Iterable<StoredEvent>;
  from: number;
  to: number;
}

export interface ReplayedDecision {
  at: number;
  decision: Decision;
}

/**
 * Runs one rule over one home's history on a virtual clock: each event at its own time, and
 * each tick the rule asked for at the time it asked, in time order, exactly as the live engine
 * would have seen them (minus device status messages, which history does not keep). The same
 * evaluator functions as live; no store, no alerts, no speaker.
 */
export function replay({
  definition,
  settings,
  home,
  baselineAt,
  absentAt,
  events,
  from,
  to,
}: ReplayInput): ReplayedDecision[] {
  if (!definition.evaluates) return [];
  const out: ReplayedDecision[] = [];
  let state: RuleState | undefined;
  let wakeAt: number | undefined;
  // One context per baseline (a day), not one per input.
  let context = home;
  const withBaseline = (baseline: Baseline | undefined) =>
    context.baseline === baseline ? context : (context = { ...home, baseline });

  const run = (now: number, input: (home: HomeContext) => RuleInput) => {
    if (definition.pausedByAbsence && absentAt?.(now)) {
      state = undefined;
      wakeAt = undefined;
      return;
    }
    const context = baselineAt ? withBaseline(baselineAt(now)) : home;
    const result = definition.run(state, input(context), settings, now);
    state = result.state;
    wakeAt = result.wakeAt;
    for (const decision of result.decisions) out.push({ at: now, decision });
  };
  const tickUntil = (limit: number) => {
    // A rule that asks for a time not after now would loop; ticks always move the clock forward.
    for (let last = -Infinity; wakeAt !== undefined && wakeAt < limit && wakeAt > last;) {
      last = Math.max(wakeAt, from);
      run(last, (h) => ({ kind: 'tick', home: h }));
    }
  };

  // The live engine knows the home before the period begins; a first look at `from` stands in for that.
  run(from, (h) => ({ kind: 'tick', home: h }));
  for (const event of events) {
    if (event.ts < from || !definition.reads.has(event.type)) continue;
    if (event.ts >= to) break;
    // A tick due at the very instant of an event comes after it, so the rule sees the newest reading.
    tickUntil(event.ts);
    run(event.ts, (h) => ({ kind: 'event', event, home: h }));
  }
  tickUntil(to);
  return out;
}

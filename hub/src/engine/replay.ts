import type { StoredEvent } from '../store/index.js';
import type { Baseline } from './baseline.js';
import type { RuleState, RuleTypeDefinition } from './rule-type.js';
import type { Decision, HomeContext, RuleInput, RuleSettings } from './decisions.js';
import { NO_PRESENCE, observe, presenceAt, watchesActivity, type Observed, type PresenceState } from './presence.js';

export interface ReplayInput {
  definition: Pick<RuleTypeDefinition, 'run' | 'evaluates' | 'reads' | 'pausedByAbsence'>;
  settings: RuleSettings<unknown>;
  /** The home; its baseline is taken from `baselineAt` instead when that is given, its presence is folded here. */
  home: Omit<HomeContext, 'presence'>;
  /** The baseline as it would have been at an instant (learned rules judge each day by the days before). */
  baselineAt?: ((at: number) => Baseline | undefined) | undefined;
  /** Whether an absence was active at an instant. */
  absentAt?: ((at: number) => boolean) | undefined;
  /**
   * The home's events, oldest first: those the rule reads, and the activity presence folds (from
   * before `from` too, so that the first look knows the resident's last activity, as live would).
   */
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
 * would have seen them (minus device status messages, which history does not keep). The home's
 * presence is folded from the same events as live. The same evaluator functions as live; no
 * store, no alerts, no speaker.
 */
export function replay(input: ReplayInput): ReplayedDecision[] {
  return replayEach({ ...input, settings: [input.settings] }).decisions[0] ?? [];
}

/** What `replayEach` found: each settings' decisions, in the order of the settings. */
export interface Replayed {
  decisions: ReplayedDecision[][];
  /** How many events the rule judged: those it reads, from `from` on. */
  judged: number;
}

/**
 * `replay` of the same rule with several settings at once (a backtest's live and proposed
 * parameters): one pass over the events, the home's presence folded once for all of them, and
 * each settings' own state, ticks and decisions.
 */
export function replayEach({
  definition,
  settings,
  home,
  baselineAt,
  absentAt,
  events,
  from,
  to,
}: Omit<ReplayInput, 'settings'> & { settings: readonly RuleSettings<unknown>[] }): Replayed {
  const runs = settings.map((rule) => ({
    rule,
    state: undefined as RuleState | undefined,
    wakeAt: undefined as number | undefined,
    out: [] as ReplayedDecision[],
  }));
  let judged = 0;
  const replayed = (): Replayed => ({ decisions: runs.map((r) => r.out), judged });
  if (!definition.evaluates) return replayed();
  let presence: PresenceState = NO_PRESENCE;
  // One context per baseline (a day), not one per input.
  let facts = { ...home, baseline: baselineAt ? undefined : home.baseline };
  const factsAt = (now: number) => {
    const baseline = baselineAt ? baselineAt(now) : home.baseline;
    return facts.baseline === baseline ? facts : (facts = { ...home, baseline });
  };

  /** The home as rules see it at `now`, with what the event just folded in (`observed`) did: one for every run. */
  const homeAt = (now: number, observed?: Observed): HomeContext => ({
    ...factsAt(now),
    presence: presenceAt(presence, now, observed),
    absent: absentAt?.(now) ?? false,
  });

  type Run = (typeof runs)[number];
  const run = (r: Run, now: number, input: RuleInput) => {
    if (definition.pausedByAbsence && input.home.absent) {
      r.state = undefined;
      r.wakeAt = undefined;
      return;
    }
    const result = definition.run(r.state, input, r.rule, now);
    r.state = result.state;
    r.wakeAt = result.wakeAt;
    for (const decision of result.decisions) r.out.push({ at: now, decision });
  };
  const tickUntil = (r: Run, limit: number) => {
    // A rule that asks for a time not after now would loop; ticks always move the clock forward.
    for (let last = -Infinity; r.wakeAt !== undefined && r.wakeAt < limit && r.wakeAt > last;) {
      last = Math.max(r.wakeAt, from);
      run(r, last, { kind: 'tick', home: homeAt(last) });
    }
  };

  let started = false;
  // The live engine knows the home before the period begins; a first look at `from` stands in for that.
  const start = () => {
    started = true;
    const input: RuleInput = { kind: 'tick', home: homeAt(from) };
    for (const r of runs) run(r, from, input);
  };
  for (const event of events) {
    if (event.ts >= to) break;
    if (event.ts >= from && !started) start();
    // A tick due at the very instant of an event comes after it, so the rule sees the newest reading.
    if (started) for (const r of runs) tickUntil(r, event.ts);
    const observed = observe(presence, event, watchesActivity(home.devices, event.deviceId));
    presence = observed.state;
    if (!started || !definition.reads.has(event.type)) continue;
    judged += 1;
    const input: RuleInput = { kind: 'event', event, home: homeAt(event.ts, observed) };
    for (const r of runs) run(r, event.ts, input);
  }
  if (!started) start();
  for (const r of runs) tickUntil(r, to);
  return replayed();
}

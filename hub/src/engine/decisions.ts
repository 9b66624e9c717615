import type { Alert } from '@mimamori/contract';
import type { ClearAlert, Question, RaiseAlert } from '../ports/index.js';

export type { ClearAlert, RaiseAlert };
import type { HomeDevice, StoredEvent } from '../store/index.js';
import type { LocalWindow } from '../time/local-time.js';
import type { Baseline } from './baseline.js';
import type { PresenceView } from './presence.js';

/** Ask the resident through the home's speakers before alerting anyone ("エアコンをつけましょう"). */
export type AskResident = { kind: 'ask' } & Question;

/** What an evaluator asks for; the engine carries it out. Evaluators do no I/O. */
export type Decision = RaiseAlert | ClearAlert | AskResident;

/** What an evaluator knows about the home beyond its own state; gathered by the engine or the backtest. */
export interface HomeContext {
  homeId: string;
  timezone: string;
  /** The home's first resident: sensors are per home, alerts name the person where there is one. */
  residentId: string | undefined;
  devices: readonly HomeDevice[];
  /** Learned from the home's own history; undefined until computed. */
  baseline: Baseline | undefined;
  /** The resident's last activity and whether they are probably out, shared by every rule (presence.ts). */
  presence: PresenceView;
  /** An absence (不在登録) is active: rules paused by absences are not run; the others may count it. */
  absent: boolean;
}

/**
 * One thing that happened: a stored event, a device's reported connection state (live only;
 * not kept in history), or a tick, when only time has passed (a deadline the rule asked for).
 */
export type RuleInput =
  | { kind: 'event'; event: StoredEvent; home: HomeContext }
  | { kind: 'status'; deviceId: string; online: boolean; home: HomeContext }
  | { kind: 'tick'; home: HomeContext };

/** A rule as the evaluator sees it: its id (which names its alerts), severity, hours and parameters. */
export interface RuleSettings<Params> {
  id: string;
  severity: Alert['severity'];
  activeHours: LocalWindow | undefined;
  params: Params;
}

/** `wakeAt`: when the rule wants to be asked again even if nothing happens (a tick). */
export interface Evaluation<State> {
  state: State;
  decisions: Decision[];
  wakeAt: number | undefined;
}

/**
 * A rule type: a pure function of its own state (undefined the first time), one input, its
 * settings and now. The live engine and the backtest call the same functions.
 */
export type RuleEvaluator<State, Params> = (
  state: State | undefined,
  input: RuleInput,
  rule: RuleSettings<Params>,
  now: number,
) => Evaluation<State>;

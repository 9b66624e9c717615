import {
  ACTIVITY_AND_LIVENESS_EVENT_TYPES,
  ACTIVITY_SENSOR_KINDS,
  type BacktestAlert,
  type BacktestResult,
  type BacktestRun,
  type Home,
  type Rule,
} from '@mimamori/contract';
import { incidentsOf, type ReplayedAlert } from '../alerts/incident.js';
import type {
  AbsenceRepository,
  AlertRepository,
  DeviceRepository,
  EventJournal,
  HomeRepository,
  RuleRepository,
  StoredEvent,
} from '../store/index.js';
import { lastLocalMinute, localDate, nextLocalMinute } from '../time/local-time.js';
import { BASELINE_DAYS, type Baseline } from './baseline.js';
import { DAY_STARTS_AT_MINUTE, summarizeDays, type DaySummary } from './day-summary.js';
import { INCIDENT_ROLES, RULE_CATALOGUE, inScope, settingsFor } from './catalogue.js';
import type { HomeContext } from './decisions.js';
import { replayEach, type ReplayedDecision } from './replay.js';
import { learnFromWorkingSensors } from './working-sensors.js';

export interface BacktestDeps {
  homes: Pick<HomeRepository, 'list' | 'listResidents'>;
  devices: Pick<DeviceRepository, 'ofHome'>;
  absences: Pick<AbsenceRepository, 'overlapping'>;
  journal: Pick<EventJournal, 'history' | 'firstEventBefore'>;
  /** What the homes' rules really raised, and the rules (for their types): the incidents a replayed alert would have met. */
  alerts: Pick<AlertRepository, 'spans'>;
  rules: Pick<RuleRepository, 'list'>;
}

export interface BacktestRequest {
  from: number;
  to: number;
  homes?: readonly string[] | undefined;
  /** Proposed parameters, already validated for the rule's type. */
  params?: Record<string, unknown> | undefined;
}

const DAY = 24 * 60 * 60_000;
/** How far before `from` a rule that learns nothing reads, to know the resident's last activity. */
const PRESENCE_WARMUP_DAYS = 2;

/** The homes a backtest looks at: the listed ones, or every home in the rule's scope. */
export function backtestHomes(
  rule: Rule,
  request: Pick<BacktestRequest, 'homes'>,
  deps: Pick<BacktestDeps, 'homes'>,
): string[] {
  const wanted = request.homes && new Set(request.homes);
  return deps.homes
    .list()
    .filter((h) => (wanted ? wanted.has(h.id) : inScope(rule, h)))
    .map((h) => h.id);
}

/** What some homes' history gave: the part of a backtest one worker computes. */
export interface BacktestPart {
  events: number;
  live: BacktestAlert[];
  proposal: BacktestAlert[];
  /** Of each run's alerts, those that would have told the network of an incident (`toldOf`). */
  incidents: { live: number; proposal: number };
}

/**
 * What a rule would have raised over stored history, for the given homes: each home's events
 * replayed through the same evaluator as live, on a virtual clock, with the baseline each day
 * would have had and the absences that were registered. Live parameters and, when given,
 * proposed ones run over the same events. Reads only; live alerts, rule state and deadlines
 * are never touched.
 *
 * `enabled` is ignored, so that a switched-off rule can be tried before it is switched on; a
 * home the rule does not reach (switched off for that home) is left out.
 */
export function collectBacktest(
  rule: Rule,
  request: BacktestRequest,
  homeIds: readonly string[],
  deps: BacktestDeps,
): BacktestPart {
  const definition = RULE_CATALOGUE[rule.type];
  const candidate = { ...rule, enabled: true };
  const wanted = new Set(homeIds);
  const part: BacktestPart = { events: 0, live: [], proposal: [], incidents: { live: 0, proposal: 0 } };
  const typeOf = new Map(deps.rules.list().map((r) => [r.id, r.type]));
  // Learned rules need the weeks before `from` for their first day's baseline; every rule needs the
  // resident's last activity before it (presence), as the live engine would know it.
  const readFrom = request.from - (definition.learned ? BASELINE_DAYS + 1 : PRESENCE_WARMUP_DAYS) * DAY;
  const types = [...new Set([...definition.reads, ...ACTIVITY_AND_LIVENESS_EVENT_TYPES])];

  for (const home of deps.homes.list().filter((h) => wanted.has(h.id))) {
    const liveSettings = settingsFor(candidate, home);
    const start = replayStart(home.id, request, deps.journal);
    if (!liveSettings || start === undefined) continue;
    const context = contextOf(home, deps);
    const read = deps.journal.history(home.id, readFrom, request.to, types);
    // A learned rule's baselines fold the history before the replay does, so it is held; any other
    // rule's replay takes it as it is read: a home's history held at once kept the garbage collector
    // busy promoting it (a sixth of a backtest's CPU, issue 21).
    const held = definition.learned ? [...read] : undefined;
    const absences = deps.absences.overlapping(home.id, readFrom, request.to);
    const common = {
      definition,
      home: context,
      baselineAt: held
        ? baselinesOver(held, home.timezone, context.devices, {
            from: readFrom,
            until: request.to,
            away: absences.map(spanOf),
          })
        : undefined,
      absentAt: (at: number) => absences.some((a) => a.startsAt <= at && at < a.endsAt),
      events: held ?? read,
      from: start,
      to: request.to,
    };
    // A rule deleted since never groups: its alerts stand alone, as any whose type has no role.
    const others = deps.alerts
      .spans(home.id, start, request.to)
      .filter((a) => a.rule !== rule.id)
      .map((a) => {
        const type = typeOf.get(a.rule);
        return { ...a, role: type && INCIDENT_ROLES[type] };
      });
    const proposed = request.params && settingsFor(candidate, home, request.params);
    // Live and proposal in one pass: the history is folded into presence (and baselines) once.
    const {
      decisions: [liveDecisions = [], proposalDecisions],
      judged,
    } = replayEach({ ...common, settings: proposed ? [liveSettings, proposed] : [liveSettings] });
    part.events += judged;
    const live = alertsOf(liveDecisions, context);
    part.live.push(...live);
    part.incidents.live += toldOf(rule, live, others);
    if (!proposalDecisions) continue;
    const proposal = alertsOf(proposalDecisions, context);
    part.proposal.push(...proposal);
    part.incidents.proposal += toldOf(rule, proposal, others);
  }
  return part;
}

/**
 * Where a home's replay starts: at `from` when the hub holds the home's history from before it,
 * else at the home's first stored event, since before that there is no data, not silence (a
 * backtest over weeks before a home's first sensor reported would report them as inactivity,
 * issue 20); undefined when the hub holds nothing of the home up to `to`.
 */
function replayStart(homeId: string, request: BacktestRequest, journal: BacktestDeps['journal']): number | undefined {
  const first = journal.firstEventBefore(homeId, request.to);
  return first === undefined ? undefined : Math.max(first, request.from);
}

/**
 * How many of a rule's replayed alerts in one home would have told the network of an incident:
 * folded with the alerts the home's other rules really raised then by the live alert service's
 * fold (alerts/incident.ts), those that opened an incident or stood alone. The others would have
 * joined an incident already open, and told nobody (docs/rules.md, "One incident per home").
 */
function toldOf(rule: Rule, replayed: readonly BacktestAlert[], others: readonly ReplayedAlert[]): number {
  const role = INCIDENT_ROLES[rule.type];
  const mine = replayed.map((a) => ({
    rule: rule.id,
    role,
    openedAt: Date.parse(a.openedAt),
    clearedAt: a.clearedAt === null ? null : Date.parse(a.clearedAt),
  }));
  return incidentsOf([...others, ...mine]).filter((incident) => incident.lead === rule.id).length;
}

/** The result from the parts the workers computed. */
export function assembleBacktest(
  rule: Rule,
  request: BacktestRequest,
  homes: number,
  parts: readonly BacktestPart[],
): BacktestResult {
  const live = parts.flatMap((p) => p.live);
  const proposal = parts.flatMap((p) => p.proposal);
  return {
    ruleId: rule.id,
    from: new Date(request.from).toISOString(),
    to: new Date(request.to).toISOString(),
    homes,
    events: parts.reduce((sum, p) => sum + p.events, 0),
    live: summarize(rule.params, live, sum(parts, 'live')),
    proposal: request.params ? summarize(request.params, proposal, sum(parts, 'proposal')) : null,
    difference: request.params
      ? { onlyLive: unmatched(live, proposal, request.to), onlyProposal: unmatched(proposal, live, request.to) }
      : null,
  };
}

/** A whole backtest in this thread (see BacktestRunner for running it off the main thread). */
export function backtest(rule: Rule, request: BacktestRequest, deps: BacktestDeps): BacktestResult {
  const homes = backtestHomes(rule, request, deps);
  return assembleBacktest(rule, request, homes.length, [collectBacktest(rule, request, homes, deps)]);
}

function contextOf(home: Home, deps: BacktestDeps): Omit<HomeContext, 'presence'> {
  return {
    homeId: home.id,
    timezone: home.timezone,
    residentId: deps.homes.listResidents(home.id)[0]?.id,
    devices: deps.devices.ofHome(home.id),
    baseline: undefined,
    absent: false,
  };
}

/** The baseline each day would have had: learned from the days before it only, without the sensors presumed dead by then. */
function baselinesOver(
  history: readonly StoredEvent[],
  timezone: string,
  devices: HomeContext['devices'],
  span: Parameters<typeof summarizeDays>[2],
): (at: number) => Baseline {
  const sensors = devices.filter((d) => ACTIVITY_SENSOR_KINDS.has(d.kind)).map((d) => d.id);
  // Summarised once for every sensor, and once more for each set of dead ones (a home has few).
  const summaries = new Map<string, readonly DaySummary[]>();
  const summariesWithout = (without: ReadonlySet<string>) => {
    const key = [...without].sort().join(' ');
    let found = summaries.get(key);
    if (!found) {
      found = summarizeDays(
        without.size === 0 ? history : history.filter((e) => !without.has(e.deviceId)),
        timezone,
        span,
      );
      summaries.set(key, found);
    }
    return found;
  };
  const heard = messageTimes(history);
  // Each day's baseline is learned once; the runs of one replay ask in roughly time order.
  const byDay = new Map<number, Baseline>();
  let day: { from: number; until: number; baseline: Baseline } | undefined;
  return (at) => {
    if (!day || at < day.from || at >= day.until) {
      const from = lastLocalMinute(at, timezone, DAY_STARTS_AT_MINUTE);
      let baseline = byDay.get(from);
      if (!baseline) {
        const date = localDate(from, timezone);
        const previous = byDay.get(lastLocalMinute(from - 1, timezone, DAY_STARTS_AT_MINUTE));
        const history = {
          days: (without: ReadonlySet<string>) => summariesWithout(without).filter((d) => d.date < date),
          lastHeard: (deviceId: string) => lastBefore(heard.get(deviceId) ?? [], from),
        };
        baseline = learnFromWorkingSensors(history, sensors, from, () => previous);
        byDay.set(from, baseline);
      }
      day = { from, until: nextLocalMinute(at, timezone, DAY_STARTS_AT_MINUTE), baseline };
    }
    return day.baseline;
  };
}

/** Each device's message times, oldest first (history is in time order). */
function messageTimes(history: readonly StoredEvent[]): Map<string, number[]> {
  const times = new Map<string, number[]>();
  for (const e of history) {
    const own = times.get(e.deviceId);
    if (own) own.push(e.ts);
    else times.set(e.deviceId, [e.ts]);
  }
  return times;
}

/** The last of ascending `times` before `at`. */
function lastBefore(times: readonly number[], at: number): number | undefined {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] ?? Infinity) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? times[lo - 1] : undefined;
}

const spanOf = (a: { startsAt: number; endsAt: number }) => ({ from: a.startsAt, until: a.endsAt });

/** Decisions as alerts would have seen them: one open per home and rule, closed when the condition cleared. */
function alertsOf(
  decisions: readonly ReplayedDecision[],
  home: Pick<HomeContext, 'homeId' | 'timezone'>,
): BacktestAlert[] {
  const alerts: BacktestAlert[] = [];
  let open: BacktestAlert | undefined;
  for (const { at, decision } of decisions) {
    if (decision.kind === 'raise' && !open) {
      open = {
        homeId: home.homeId,
        openedAt: new Date(at).toISOString(),
        clearedAt: null,
        localDate: localDate(at, home.timezone),
        severity: decision.severity,
        message: decision.message,
      };
      alerts.push(open);
    } else if (decision.kind === 'clear' && open) {
      open.clearedAt = new Date(at).toISOString();
      open = undefined;
    }
  }
  return alerts;
}

const sum = (parts: readonly BacktestPart[], run: keyof BacktestPart['incidents']) =>
  parts.reduce((total, p) => total + p.incidents[run], 0);

function summarize(params: Record<string, unknown>, alerts: BacktestAlert[], incidents: number): BacktestRun {
  const count = (key: (a: BacktestAlert) => string) => {
    const counts = new Map<string, number>();
    for (const a of alerts) counts.set(key(a), (counts.get(key(a)) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => a.localeCompare(b));
  };
  return {
    params,
    total: alerts.length,
    incidents,
    perDay: count((a) => a.localDate).map(([date, n]) => ({ date, count: n })),
    perHome: count((a) => a.homeId).map(([homeId, n]) => ({ homeId, count: n })),
    alerts: [...alerts].sort((a, b) => a.openedAt.localeCompare(b.openedAt)),
  };
}

/**
 * Alerts of `these` that no alert of `others` matches: same home, and open at the same time
 * at some point (the same episode, caught earlier or later).
 */
function unmatched(these: readonly BacktestAlert[], others: readonly BacktestAlert[], to: number): BacktestAlert[] {
  const span = (a: BacktestAlert) =>
    [Date.parse(a.openedAt), a.clearedAt === null ? to : Date.parse(a.clearedAt)] as const;
  const overlaps = (a: BacktestAlert, b: BacktestAlert) => {
    const [aFrom, aTo] = span(a);
    const [bFrom, bTo] = span(b);
    return a.homeId === b.homeId && aFrom <= bTo && bFrom <= aTo;
  };
  return these.filter((a) => !others.some((b) => overlaps(a, b))).sort((a, b) => a.openedAt.localeCompare(b.openedAt));
}

import type {
  BacktestResult,
  HomeBaseline,
  ProblemOf,
  RaisedProblem,
  Rule,
  RuleInput,
  RuleOverrideInput,
  RuleUpdate,
  RuleVersion,
} from '@mimamori/contract';
import { problemMessage, problemOfIssue, type BacktestInput } from '@mimamori/contract';
import type { BaselineRepository, HomeRepository, RuleConfig, RuleRepository } from '../store/index.js';
import { formatMinuteOfDay } from '../time/local-time.js';
import { learnedOf } from './baseline.js';
import { DAY_STARTS_AT_MINUTE } from './day-summary.js';
import type { BacktestRunner } from './backtest-runner.js';
import { RULE_CATALOGUE, parseParams, settingsFor } from './catalogue.js';

/** Why a change to a rule was refused, as a problem of the contract's catalogue (the API gives it its status). */
export class RuleChangeError extends Error {
  constructor(
    readonly refusal: ProblemOf,
    readonly field?: string,
    /** The English when the problem is a schema's (zod words it); a raised problem has its own. */
    message = problemMessage(refusal.problem as RaisedProblem, refusal.params as never),
  ) {
    super(message);
  }
}

const notFound = (entity: 'rule' | 'home', id: string) =>
  new RuleChangeError({ problem: 'not_found', params: { entity, id } });

export interface RuleAdminDeps {
  repository: RuleRepository;
  homes: Pick<HomeRepository, 'get'>;
  baselines: Pick<BaselineRepository, 'get'>;
  backtests: Pick<BacktestRunner, 'run'>;
  /** Told after every change, so the engine applies it at once (see RulesEngine.ruleChanged). */
  onChanged: (ruleId: string) => void;
}

/**
 * What staff do with rules: create, change, switch on and off, per-home overrides, roll back
 * to a version, and backtest a change first. Every change is validated against the rule
 * type's parameter schema (the field that fails is named) and stored as a new version with
 * who, when and why.
 */
export class RuleAdmin {
  constructor(private readonly deps: RuleAdminDeps) {}

  list(): Rule[] {
    return this.deps.repository.list();
  }

  get(id: string): Rule {
    const rule = this.deps.repository.get(id);
    if (!rule) throw notFound('rule', id);
    return rule;
  }

  versions(id: string): RuleVersion[] {
    this.get(id);
    return this.deps.repository.versions(id);
  }

  create(input: RuleInput, by: string, now: number): Rule {
    if (this.deps.repository.get(input.id))
      throw new RuleChangeError({ problem: 'rule_exists', params: { id: input.id } }, 'body.id');
    checkParams(input.type, input.params, 'body.params');
    const config: RuleConfig = {
      id: input.id,
      type: input.type,
      enabled: input.enabled,
      severity: input.severity ?? RULE_CATALOGUE[input.type].defaultSeverity,
      params: input.params,
      activeHours: input.activeHours,
      scope: input.scope,
      overrides: [],
    };
    return this.#save(config, { by, reason: input.reason, at: now });
  }

  update(id: string, change: RuleUpdate, by: string, now: number): Rule {
    const current = this.get(id);
    const { reason, ...fields } = change;
    const next: RuleConfig = {
      ...current,
      ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
    };
    checkParams(next.type, next.params, 'body.params');
    // An override must still make sense with the new parameters.
    for (const o of next.overrides)
      checkParams(next.type, { ...next.params, ...o.params }, `overrides.${o.homeId}.params`);
    return this.#save(next, { by, reason, at: now });
  }

  setOverride(id: string, homeId: string, input: RuleOverrideInput, by: string, now: number): Rule {
    const current = this.get(id);
    if (!this.deps.homes.get(homeId)) throw notFound('home', homeId);
    checkParams(current.type, { ...current.params, ...input.params }, 'body.params');
    const override = { homeId, enabled: input.enabled ?? null, params: input.params };
    const overrides = [...current.overrides.filter((o) => o.homeId !== homeId), override].sort((a, b) =>
      a.homeId.localeCompare(b.homeId),
    );
    return this.#save({ ...current, overrides }, { by, reason: input.reason, at: now });
  }

  removeOverride(id: string, homeId: string, reason: string, by: string, now: number): Rule {
    const current = this.get(id);
    if (!current.overrides.some((o) => o.homeId === homeId))
      throw new RuleChangeError({ problem: 'override_missing', params: { ruleId: id, homeId } });
    return this.#save(
      { ...current, overrides: current.overrides.filter((o) => o.homeId !== homeId) },
      { by, reason, at: now },
    );
  }

  rollback(id: string, version: number, reason: string, by: string, now: number): Rule {
    this.get(id);
    const config = this.deps.repository.version(id, version);
    if (!config)
      throw new RuleChangeError({ problem: 'version_missing', params: { ruleId: id, version } }, 'body.version');
    return this.#save(config, { by, reason: `${reason} (rollback to version ${version})`, at: now });
  }

  backtest(id: string, input: BacktestInput): Promise<BacktestResult> {
    const rule = this.get(id);
    if (!RULE_CATALOGUE[rule.type].evaluates) {
      throw new RuleChangeError({ problem: 'backtest_needs_events', params: { type: rule.type } });
    }
    if (input.params) checkParams(rule.type, input.params, 'body.params');
    return this.deps.backtests.run(rule, {
      from: Date.parse(input.from),
      to: Date.parse(input.to),
      homes: input.homes,
      params: input.params,
    });
  }

  /** What the learned rules know of a home, and which of them are still learning. */
  baseline(homeId: string): HomeBaseline {
    const home = this.deps.homes.get(homeId);
    if (!home) throw notFound('home', homeId);
    const stored = this.deps.baselines.get(homeId);
    const learned = learnedOf(stored?.learned);
    const days = learned?.days ?? 0;
    const rules = this.deps.repository.list().flatMap((rule) => {
      const settings = RULE_CATALOGUE[rule.type].learned ? settingsFor(rule, home) : undefined;
      const minDays = (settings?.params as { minDays?: number } | undefined)?.minDays;
      return minDays === undefined ? [] : [{ ruleId: rule.id, minDays, learning: days < minDays }];
    });
    const wake = learned?.wake;
    return {
      homeId,
      computedAt: stored ? new Date(stored.computedAt).toISOString() : null,
      days,
      rules,
      usualWake: wake ? formatMinuteOfDay(DAY_STARTS_AT_MINUTE + wake.median) : null,
      wakeSpreadMinutes: wake ? Math.round(wake.spread) : null,
      dailyActivity: learned?.dailyActivity ?? null,
      withoutDevices: Object.keys(learned?.without ?? {}),
    };
  }

  #save(config: RuleConfig, change: { by: string; reason: string; at: number }): Rule {
    const saved = this.deps.repository.save(config, change);
    this.deps.onChanged(saved.id);
    return saved;
  }
}

function checkParams(type: Rule['type'], params: Record<string, unknown>, path: string): void {
  const parsed = parseParams(type, params);
  if (parsed.success) return;
  const issue = parsed.error.issues[0];
  const field = [path, ...(issue?.path ?? []).map(String)].join('.');
  const refusal: ProblemOf = issue ? problemOfIssue(issue) : { problem: 'invalid', params: {} };
  throw new RuleChangeError(refusal, field, issue?.message ?? 'invalid');
}

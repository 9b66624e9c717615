import type {
  BacktestInput,
  BacktestResult,
  HomeBaseline,
  Rule,
  RuleInput,
  RuleOverrideInput,
  RuleUpdate,
  RuleVersion,
} from '@mimamori/contract';
import type { BaselineRepository, HomeRepository, RuleConfig, RuleRepository } from '../store/index.js';
import { formatMinuteOfDay } from '../time/local-time.js';
import { DAY_STARTS_AT_MINUTE, dailyActivityMedian, wakeStats, type DaySummary } from './baseline.js';
import type { BacktestRunner } from './backtest-runner.js';
import { RULE_CATALOGUE, parseParams, settingsFor } from './catalogue.js';

/** Why a change to a rule was refused; the API turns `code` into its status. */
export class RuleChangeError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict' | 'bad_request',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

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
    if (!rule) throw new RuleChangeError('not_found', `rule ${id} does not exist`);
    return rule;
  }

  versions(id: string): RuleVersion[] {
    this.get(id);
    return this.deps.repository.versions(id);
  }

  create(input: RuleInput, by: string, now: number): Rule {
    if (this.deps.repository.get(input.id))
      throw new RuleChangeError('conflict', `rule ${input.id} exists already`, 'body.id');
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
    if (!this.deps.homes.get(homeId)) throw new RuleChangeError('not_found', `home ${homeId} does not exist`);
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
      throw new RuleChangeError('not_found', `rule ${id} has no override for home ${homeId}`);
    return this.#save(
      { ...current, overrides: current.overrides.filter((o) => o.homeId !== homeId) },
      { by, reason, at: now },
    );
  }

  rollback(id: string, version: number, reason: string, by: string, now: number): Rule {
    this.get(id);
    const config = this.deps.repository.version(id, version);
    if (!config) throw new RuleChangeError('not_found', `rule ${id} has no version ${version}`, 'body.version');
    return this.#save(config, { by, reason: `${reason} (rollback to version ${version})`, at: now });
  }

  backtest(id: string, input: BacktestInput): Promise<BacktestResult> {
    const rule = this.get(id);
    if (!RULE_CATALOGUE[rule.type].evaluates) {
      throw new RuleChangeError(
        'bad_request',
        `${rule.type} is judged from check-in schedules, not from events; see the check-in history instead`,
      );
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
    if (!home) throw new RuleChangeError('not_found', `home ${homeId} does not exist`);
    const stored = this.deps.baselines.get<DaySummary>(homeId);
    const days = (stored?.days ?? []).filter((d) => d.count > 0);
    const rules = this.deps.repository.list().flatMap((rule) => {
      const settings = RULE_CATALOGUE[rule.type].learned ? settingsFor(rule, home) : undefined;
      const minDays = (settings?.params as { minDays?: number } | undefined)?.minDays;
      return minDays === undefined ? [] : [{ ruleId: rule.id, minDays, learning: days.length < minDays }];
    });
    const wake = days.some((d) => d.firstActivity !== null) ? wakeStats({ days }) : undefined;
    return {
      homeId,
      computedAt: stored ? new Date(stored.computedAt).toISOString() : null,
      days: days.length,
      rules,
      usualWake: wake ? formatMinuteOfDay(DAY_STARTS_AT_MINUTE + wake.median) : null,
      wakeSpreadMinutes: wake ? Math.round(wake.spread) : null,
      dailyActivity: days.length > 0 ? dailyActivityMedian({ days }) : null,
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
  throw new RuleChangeError('bad_request', `${field}: ${issue?.message ?? 'invalid'}`, field);
}

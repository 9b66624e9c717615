import type { Rule } from '@mimamori/contract';
import type { RuleRepository } from '../store/index.js';
import { DEFAULT_RULES, inScope, RULE_CATALOGUE, settingsFor } from './catalogue.js';
import type { RuleTypeDefinition } from './rule-type.js';
import type { RuleSettings } from './decisions.js';

/** A rule that applies to a home, with its type's definition and the home's settings. */
export interface ActiveRule {
  rule: Rule;
  definition: RuleTypeDefinition;
  settings: RuleSettings<unknown>;
}

/** What decides whether a rule applies to a home: the home and its district. */
type HomeScope = { homeId: string; district: string | null };

/**
 * The live rule catalogue in memory: which rules apply to which home, with overrides merged.
 * Reloaded from the store whenever staff change a rule, so a change takes effect at once
 * without a restart. Per-home results are cached until the next reload; the cache key holds
 * the district, so a home moved to another district is looked at afresh.
 */
export class RuleRegistry {
  #rules: Rule[] = [];
  readonly #byHome = new Map<string, ActiveRule[]>();
  /**
   * What each rule is for the homes without an override of it, in scope or not: the same for all
   * of them, so made once per rule. Made per home, it parsed every rule's params (zod) for each
   * home on its first event or deadline, and held a copy per home (issue 21).
   */
  readonly #withoutOverride = new Map<string, ActiveRule | undefined>();

  constructor(private readonly repository: RuleRepository) {}

  /** Adds the catalogue's default rules that the store does not have yet (a new hub, or a new rule type). */
  seedDefaults(now: number): string[] {
    const missing = DEFAULT_RULES.filter((d) => !this.repository.get(d.id));
    for (const d of missing) {
      this.repository.save(
        { ...d, enabled: true, scope: { kind: 'all' }, overrides: [] },
        { by: 'system', reason: 'default from the rule catalogue', at: now },
      );
    }
    this.load();
    return missing.map((d) => d.id);
  }

  load(): void {
    this.#rules = this.repository.list();
    this.#byHome.clear();
    this.#withoutOverride.clear();
  }

  get(id: string): Rule | undefined {
    return this.#rules.find((r) => r.id === id);
  }

  forHome(home: HomeScope): ActiveRule[] {
    const key = `${home.homeId}\u0000${home.district ?? ''}`;
    let active = this.#byHome.get(key);
    if (!active) {
      active = this.#rules.flatMap((rule) => {
        const applied = this.#applied(rule, { id: home.homeId, district: home.district });
        return applied ? [applied] : [];
      });
      this.#byHome.set(key, active);
    }
    return active;
  }

  #applied(rule: Rule, home: { id: string; district: string | null }): ActiveRule | undefined {
    const make = () => {
      const settings = settingsFor(rule, home);
      return settings && { rule, definition: RULE_CATALOGUE[rule.type], settings };
    };
    if (rule.overrides.some((o) => o.homeId === home.id)) return make();
    const key = `${rule.id}\u0000${inScope(rule, home)}`;
    if (!this.#withoutOverride.has(key)) this.#withoutOverride.set(key, make());
    return this.#withoutOverride.get(key);
  }

  /** The first rule of a type that applies to the home, e.g. the `checkin.missed` rule. */
  ofType(type: Rule['type'], home: HomeScope): ActiveRule | undefined {
    return this.forHome(home).find((a) => a.rule.type === type);
  }
}

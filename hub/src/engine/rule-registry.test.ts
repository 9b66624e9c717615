import { describe, expect, it } from 'vitest';
import { homeInput } from '@mimamori/contract';
import { openStores } from '../store/index.js';
import { RuleRegistry } from './rule-registry.js';

const CHANGE = { by: 'staff', reason: 'test', at: 0 };

function registryWith(rule: { scope: { kind: 'all' } | { kind: 'districts'; districts: string[] } }) {
  const stores = openStores(':memory:');
  stores.homes.create(homeInput.parse({ id: 'h-own', name: 'h-own' }), 0);
  stores.rules.save(
    {
      id: 'quiet',
      type: 'inactivity',
      enabled: true,
      severity: 'warning',
      params: { durationMinutes: 600 },
      activeHours: null,
      scope: rule.scope,
      overrides: [{ homeId: 'h-own', enabled: null, params: { durationMinutes: 300 } }],
    },
    CHANGE,
  );
  const registry = new RuleRegistry(stores.rules);
  registry.load();
  const quiet = (homeId: string, district: string | null = null) =>
    registry.forHome({ homeId, district }).find((a) => a.rule.id === 'quiet');
  return { stores, registry, quiet };
}

describe('the rules that apply to a home', () => {
  it('share one set of settings among the homes without an override, and give a home its own', () => {
    const { quiet } = registryWith({ scope: { kind: 'all' } });
    expect(quiet('h-1')?.settings.params).toEqual({ durationMinutes: 600 });
    expect(quiet('h-2')).toBe(quiet('h-1'));
    expect(quiet('h-own')?.settings.params).toEqual({ durationMinutes: 300 });
  });

  it('leave out the homes outside a rule’s districts, and follow a change of the rule', () => {
    const { stores, registry, quiet } = registryWith({ scope: { kind: 'districts', districts: ['北区'] } });
    expect(quiet('h-1', '北区')?.settings.params).toEqual({ durationMinutes: 600 });
    expect(quiet('h-2', '南区')).toBeUndefined();
    expect(quiet('h-own', '南区')).toBeUndefined();

    const rule = stores.rules.get('quiet');
    if (!rule) throw new Error('the rule was not saved');
    stores.rules.save({ ...rule, params: { durationMinutes: 720 }, scope: { kind: 'all' } }, CHANGE);
    registry.load();
    expect(quiet('h-1', '北区')?.settings.params).toEqual({ durationMinutes: 720 });
    expect(quiet('h-2', '南区')?.settings.params).toEqual({ durationMinutes: 720 });
  });
});

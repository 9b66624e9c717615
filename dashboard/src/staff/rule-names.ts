import type { RuleTypeInfo } from '@mimamori/contract';
import { call } from '../api.js';
import { useLoad } from '../components/common.js';
import { inLang } from '../i18n/index.js';

let cached: Promise<{ types: Map<string, RuleTypeInfo>; ruleTypes: Map<string, string> }> | undefined;

/** The rule catalogue's words (GET /api/rule-types) and which type each rule is, loaded once per page load. */
function catalogue() {
  cached ??= Promise.all([call('GET /api/rule-types'), call('GET /api/rules')]).then(([types, rules]) => ({
    types: new Map(types.items.map((type) => [type.type, type])),
    ruleTypes: new Map(rules.items.map((rule) => [rule.id, rule.type])),
  }));
  return cached;
}

/** A rule's name in the user's language, by the rule's id (an alert's `rule`), for staff pages. */
export function useRuleNames(): (ruleId: string) => string {
  const { data } = useLoad(catalogue, []);
  return (ruleId) => {
    const type = data?.types.get(data.ruleTypes.get(ruleId) ?? ruleId);
    // Two rules of one type (inactivity, inactivity.24h) are told apart by their ids.
    return type ? `${inLang(type.name)}${type.type === ruleId ? '' : `（${ruleId}）`}` : ruleId;
  };
}

/** The catalogue itself, for the rules page's forms. */
export const useRuleTypes = () => useLoad(() => catalogue().then((c) => c.types), []);

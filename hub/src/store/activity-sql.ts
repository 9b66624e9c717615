import { EVENT_MEANINGS, EVENT_TYPES, type ActivityOptions, type AnyActivitySignal } from '@mimamori/contract';

/**
 * The SQL twin of the contract's `isActivity`, generated from the same table (EVENT_MEANINGS)
 * so that the store and the engine agree on what counts as someone moving about. Returns a
 * condition on the `events` table's `type` and `data` columns and its parameters, in order.
 */
export function activityCondition(options: ActivityOptions): { sql: string; params: (string | number)[] } {
  const terms: string[] = [];
  const params: (string | number)[] = [];
  for (const type of EVENT_TYPES) {
    const signal: AnyActivitySignal = EVENT_MEANINGS[type].activity;
    if (signal.kind === 'always') {
      terms.push('type = ?');
      params.push(type);
    } else if (signal.kind === 'when') {
      terms.push(`(type = ? AND json_extract(data, ?) = ?)`);
      params.push(type, `$.${signal.field}`, signal.is ? 1 : 0);
    } else if (signal.kind === 'atLeastPowerWatts' && options.powerWatts !== undefined) {
      terms.push(`(type = ? AND json_extract(data, ?) >= ?)`);
      params.push(type, `$.${signal.field}`, options.powerWatts);
    }
  }
  return { sql: terms.length > 0 ? `(${terms.join(' OR ')})` : '0', params };
}

import { ID_PATTERN } from './ids.js';

/**
 * The string formats the API checks with a pattern, by name. The schemas use these, and a
 * value that fails one is reported as `bad_format` with the format's name (problems.ts), so a
 * client can say "時刻は 09:00 のように" rather than echo a regular expression.
 */
export const FORMATS = {
  local_time: /^([01]\d|2[0-3]):[0-5]\d$/,
  entity_id: ID_PATTERN,
  rule_id: /^[a-z0-9][a-z0-9._-]{0,63}$/,
  cron: /^\S+(\s+\S+){4}$/,
  month: /^\d{4}-(0[1-9]|1[0-2])$/,
  username: /^[\w.@-]+$/,
  z2m_name: /^[^/+#]+$/,
  phone: /^\+?[0-9][0-9 ()-]{1,28}[0-9]$/,
} as const satisfies Record<string, RegExp>;

export type NamedFormat = keyof typeof FORMATS;

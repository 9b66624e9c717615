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
  /** Hiragana or katakana (with ー, ・ and spaces), as a name's reading is written on forms. */
  kana: /^[\u3041-\u3096\u309D\u309E\u30A1-\u30FA\u30FC-\u30FE\u30FB\s\u3000]+$/,
} as const satisfies Record<string, RegExp>;

export type NamedFormat = keyof typeof FORMATS;

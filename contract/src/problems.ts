import { FORMATS, type NamedFormat } from './formats.js';

/**
 * Every problem the HTTP API reports, by a stable code with its parameters (issue 17 item 6,
 * issue 19 item 10). An error body carries `problem` and `params` next to the English
 * `message`, so a client renders the error in its user's language from the code and its
 * parameters; the message stays for API users and logs. The hub maps each code to its HTTP
 * status in one place (hub/src/api/errors.ts); the dashboard's catalogue has a Japanese
 * sentence for each code, which the compiler holds complete.
 */

/** What a `not_found` is about. */
export type Entity =
  'home' | 'resident' | 'device' | 'echo' | 'schedule' | 'absence' | 'alert' | 'user' | 'rule' | 'network';

type None = Record<string, never>;

/** Problems of one field of a request, from its schema (zod) or from a check the hub makes. */
export interface FieldProblemParams {
  required: None;
  wrong_type: { expected: string };
  too_small: { origin: string; minimum: number; inclusive: boolean };
  too_big: { origin: string; maximum: number; inclusive: boolean };
  bad_format: { format: NamedFormat | 'email' | 'url' | 'datetime' | 'other' };
  not_one_of: { values: string[] };
  unknown_fields: { keys: string[] };
  /** A rule of the shape that zod only checks as a whole (a refinement), named by the schema. */
  tier_needs_member: None;
  window_too_short: None;
  start_tier_beyond_tiers: { tiers: number };
  hours_must_differ: None;
  range_reversed: None;
  range_too_long: { maxDays: number };
  timezone_unknown: None;
  invalid: None;
  // Checks the hub makes beyond the schema.
  cron_invalid: { detail: string };
  password_short: { minimum: number };
  password_common: None;
  password_is_username: None;
  password_repeated: None;
  home_missing: { id: string };
  users_missing: { ids: string[] };
  webhooks_missing: { names: string[] };
  range_invalid: { maxDays: number };
  end_not_future: None;
  end_too_far: { maxDays: number };
  version_missing: { ruleId: string; version: number };
  rule_exists: { id: string };
  id_taken: { id: string; what: string };
  body_empty: None;
  forbidden_key: None;
}

/** Problems of the request as a whole. */
export interface RequestProblemParams {
  login_required: None;
  login_failed: None;
  login_throttled: { seconds: number };
  role_required: { roles: string[] };
  cross_site: None;
  home_not_in_network: None;
  role_not_manageable: { role: string; action: 'add' | 'change' };
  not_yourself: None;
  not_found: { entity: Entity; id: string };
  override_missing: { ruleId: string; homeId: string };
  no_route: { method: string; path: string };
  username_taken: { username: string };
  alert_resolved: None;
  alert_cleared: None;
  alert_taken: { by: string; byName: string | null };
  alert_not_taken: None;
  alert_taken_by_other: { by: string; byName: string | null };
  absence_overlaps: { id: string; startsAt: string; endsAt: string };
  backtest_needs_events: { type: string };
  malformed_request: { detail: string };
  payload_too_large: None;
  internal: None;
}

export type ProblemParams = FieldProblemParams & RequestProblemParams;
export type Problem = keyof ProblemParams;
export type FieldProblem = keyof FieldProblemParams;
/** A problem with its parameters, as one value. */
export type ProblemOf<P extends Problem = Problem> = P extends Problem
  ? { problem: P; params: ProblemParams[P] }
  : never;

const ENTITY_EN: Record<Entity, string> = {
  home: 'home',
  resident: 'resident',
  device: 'device',
  echo: 'Echo',
  schedule: 'schedule',
  absence: 'absence',
  alert: 'alert',
  user: 'user',
  rule: 'rule',
  network: 'network of home',
};

/** Problems zod itself reports; their English is zod's own message. */
type SchemaProblem =
  'required' | 'wrong_type' | 'too_small' | 'too_big' | 'bad_format' | 'not_one_of' | 'unknown_fields' | 'invalid';
/** Problems the contract's refinements and the hub raise, in English. */
export type RaisedProblem = Exclude<Problem, SchemaProblem>;

/** The English message of each raised problem (a field's problem is prefixed with the field: `body.cron: …`). */
const ENGLISH: { [P in RaisedProblem]: (params: ProblemParams[P]) => string } = {
  tier_needs_member: () => 'a tier needs at least one watcher or webhook',
  window_too_short: () =>
    'windowMinutes must be longer than reprompts × repromptEveryMinutes, so the last re-prompt still gets an answer',
  start_tier_beyond_tiers: (p) => `the network has ${p.tiers} tier(s)`,
  hours_must_differ: () => 'from and to must differ',
  range_reversed: () => 'must be after from',
  range_too_long: (p) => `the range may span at most ${p.maxDays} days`,
  timezone_unknown: () => 'must be an IANA time zone such as Asia/Tokyo',
  cron_invalid: (p) => p.detail,
  password_short: (p) => `must be at least ${p.minimum} characters`,
  password_common: () => 'is one of the most commonly used passwords; choose another',
  password_is_username: () => 'must not be the username',
  password_repeated: () => 'must not be one character repeated',
  home_missing: (p) => `home ${p.id} does not exist`,
  users_missing: (p) => `no such user: ${p.ids.join(', ')}`,
  webhooks_missing: (p) => `no webhook is configured with the name ${p.names.join(', ')}`,
  range_invalid: (p) => `must be after from, at most ${p.maxDays} days later`,
  end_not_future: () => 'must be in the future and after startsAt',
  end_too_far: (p) =>
    `ends more than ${p.maxDays} days from now; send confirmLong with a reason (staff) to register it anyway`,
  version_missing: (p) => `rule ${p.ruleId} has no version ${p.version}`,
  rule_exists: (p) => `rule ${p.id} exists already`,
  id_taken: (p) => `the ${p.what} ${p.id} is already taken`,
  body_empty: () => 'must not be empty when it is sent as JSON',
  forbidden_key: () => 'this key is not allowed (it could change built-in objects)',
  login_required: () => 'log in first (POST /api/auth/login)',
  login_failed: () => 'wrong username or password',
  login_throttled: (p) => `too many failed logins; try again in ${p.seconds} s`,
  role_required: (p) => `this needs the role ${p.roles.join(' or ')}`,
  cross_site: () => 'cross-site request refused: state changes must come from the dashboard’s own pages',
  home_not_in_network: () => 'this home is not in your watch-over network',
  role_not_manageable: (p) => `only an admin can ${p.action} a ${p.role} user`,
  not_yourself: () => 'you cannot deactivate yourself or change your own role',
  not_found: (p) => `${ENTITY_EN[p.entity]} ${p.id} does not exist`,
  override_missing: (p) => `rule ${p.ruleId} has no override for home ${p.homeId}`,
  no_route: (p) => `no route ${p.method} ${p.path}`,
  username_taken: (p) => `username ${p.username} is taken`,
  alert_resolved: () => 'the alert is resolved already',
  alert_cleared: () => 'the alert cleared by itself already',
  alert_taken: (p) => `${p.by} has acknowledged it already`,
  alert_not_taken: () => 'nobody has acknowledged the alert',
  alert_taken_by_other: (p) => `${p.by} has acknowledged it; only they can give it back`,
  absence_overlaps: (p) =>
    `the home is already away from ${p.startsAt} to ${p.endsAt} (absence ${p.id}); extend that one`,
  backtest_needs_events: (p) =>
    `${p.type} is judged from check-in schedules, not from events; see the check-in history instead`,
  malformed_request: (p) => p.detail,
  payload_too_large: () => 'request body too large',
  internal: () => 'internal error; see the hub log',
};

const SCHEMA_PROBLEMS: Record<SchemaProblem, true> = {
  required: true,
  wrong_type: true,
  too_small: true,
  too_big: true,
  bad_format: true,
  not_one_of: true,
  unknown_fields: true,
  invalid: true,
};
/** Every problem code, for the error body's schema (and so the OpenAPI document). */
export const PROBLEMS = [...Object.keys(SCHEMA_PROBLEMS), ...Object.keys(ENGLISH)] as [Problem, ...Problem[]];

export function problemMessage<P extends RaisedProblem>(problem: P, params: ProblemParams[P]): string {
  return ENGLISH[problem](params);
}

/** A zod issue as fastify-type-provider-zod and `safeParse` report it. */
export interface IssueLike {
  readonly code: string;
  readonly message: string;
}

const FORMAT_BY_PATTERN = new Map<string, NamedFormat>(
  Object.entries(FORMATS).map(([name, pattern]) => [String(pattern), name as NamedFormat]),
);
const KNOWN_FORMATS = new Set(['email', 'url', 'datetime']);
const REFINEMENTS = new Set([
  'tier_needs_member',
  'window_too_short',
  'start_tier_beyond_tiers',
  'hours_must_differ',
  'range_reversed',
  'range_too_long',
  'timezone_unknown',
] as const satisfies FieldProblem[]);

/**
 * The problem a zod issue stands for. Refinements name theirs in `params.problem`
 * (`.refine(check, refinement('window_too_short'))`); patterns are named by FORMATS.
 */
export function problemOfIssue(given: IssueLike): ProblemOf<FieldProblem> {
  const issue = given as IssueLike & Readonly<Record<string, unknown>>;
  const number = (key: string) => Number(issue[key] ?? 0);
  switch (issue.code) {
    case 'invalid_type':
      return issue.message.endsWith('received undefined')
        ? { problem: 'required', params: {} }
        : { problem: 'wrong_type', params: { expected: String(issue.expected) } };
    case 'too_small':
      return {
        problem: 'too_small',
        params: { origin: String(issue.origin), minimum: number('minimum'), inclusive: issue.inclusive !== false },
      };
    case 'too_big':
      return {
        problem: 'too_big',
        params: { origin: String(issue.origin), maximum: number('maximum'), inclusive: issue.inclusive !== false },
      };
    case 'invalid_format': {
      const named = FORMAT_BY_PATTERN.get(String(issue.pattern));
      const format = String(issue.format);
      return {
        problem: 'bad_format',
        params: { format: named ?? (KNOWN_FORMATS.has(format) ? (format as 'email' | 'url' | 'datetime') : 'other') },
      };
    }
    case 'invalid_value':
      return { problem: 'not_one_of', params: { values: ((issue.values as unknown[]) ?? []).map(String) } };
    case 'unrecognized_keys':
      return { problem: 'unknown_fields', params: { keys: ((issue.keys as unknown[]) ?? []).map(String) } };
    case 'custom': {
      const params = (issue.params ?? {}) as { problem?: string } & Record<string, unknown>;
      const { problem, ...rest } = params;
      if (problem && (REFINEMENTS as Set<string>).has(problem))
        return { problem, params: rest } as ProblemOf<FieldProblem>;
      return { problem: 'invalid', params: {} };
    }
    default:
      return { problem: 'invalid', params: {} };
  }
}

type Refinement = (typeof REFINEMENTS extends Set<infer R> ? R : never) & RaisedProblem;

/**
 * The options of a zod refinement that reports a named problem (see `problemOfIssue`); the
 * message is the problem's English unless the schema words it for its own fields.
 */
export function refinement<P extends Refinement>(
  problem: P,
  options: { path?: string[]; params?: FieldProblemParams[P]; message?: string } = {},
): { message: string; path?: string[]; params: Record<string, unknown> } {
  const params = (options.params ?? {}) as ProblemParams[P];
  return {
    message: options.message ?? problemMessage(problem, params),
    ...(options.path && { path: options.path }),
    params: { problem, ...params },
  };
}

import {
  problemMessage,
  problemOfIssue,
  type ErrorBody,
  type FieldError,
  type IssueLike,
  type Problem,
  type ProblemOf,
  type ProblemParams,
  type RaisedProblem,
} from '@mimamori/contract';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/**
 * The API's error codes, one per HTTP status. Every error response is
 * `{"error": {"code", "message", "problem?", "params?", "field?", "details?"}}` with one of these
 * codes; `problem` says what went wrong as a stable code of the contract's catalogue.
 */
export const ERROR_CODES = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  request_timeout: 408,
  conflict: 409,
  payload_too_large: 413,
  too_many_requests: 429,
  headers_too_large: 431,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Each problem's kind, and so its HTTP status: the one place the catalogue meets HTTP. */
const CODE_OF: Record<Problem, ErrorCode> = {
  required: 'bad_request',
  wrong_type: 'bad_request',
  too_small: 'bad_request',
  too_big: 'bad_request',
  bad_format: 'bad_request',
  not_one_of: 'bad_request',
  unknown_fields: 'bad_request',
  invalid: 'bad_request',
  tier_needs_member: 'bad_request',
  window_too_short: 'bad_request',
  start_tier_beyond_tiers: 'bad_request',
  hours_must_differ: 'bad_request',
  range_reversed: 'bad_request',
  range_too_long: 'bad_request',
  timezone_unknown: 'bad_request',
  cron_invalid: 'bad_request',
  password_short: 'bad_request',
  password_common: 'bad_request',
  password_is_username: 'bad_request',
  password_repeated: 'bad_request',
  home_missing: 'bad_request',
  users_missing: 'bad_request',
  webhooks_missing: 'bad_request',
  range_invalid: 'bad_request',
  end_not_future: 'bad_request',
  end_too_far: 'bad_request',
  version_missing: 'not_found',
  rule_exists: 'conflict',
  id_taken: 'conflict',
  body_empty: 'bad_request',
  forbidden_key: 'bad_request',
  login_required: 'unauthenticated',
  login_failed: 'unauthenticated',
  login_throttled: 'too_many_requests',
  role_required: 'forbidden',
  cross_site: 'forbidden',
  home_not_in_network: 'forbidden',
  role_not_manageable: 'forbidden',
  not_yourself: 'forbidden',
  not_found: 'not_found',
  override_missing: 'not_found',
  no_route: 'not_found',
  username_taken: 'conflict',
  alert_resolved: 'conflict',
  alert_cleared: 'conflict',
  alert_taken: 'conflict',
  alert_not_taken: 'conflict',
  alert_taken_by_other: 'conflict',
  absence_overlaps: 'conflict',
  backtest_needs_events: 'bad_request',
  malformed_request: 'bad_request',
  payload_too_large: 'payload_too_large',
  internal: 'internal',
};

/**
 * A problem the API reports. A field's problem is named in the message (`body.cron: …`, as
 * docs/protocol.md promises) and listed in `details`, as validation errors are.
 */
export class ApiError extends Error {
  readonly details: FieldError[] | undefined;

  private constructor(
    readonly problem: Problem,
    readonly params: Record<string, unknown>,
    message: string,
    readonly field?: string,
    details?: FieldError[],
  ) {
    super(field ? `${field}: ${message}` : message);
    this.details = details ?? (field ? [{ field, message, problem, params }] : undefined);
  }

  /** A problem of the catalogue, about the request as a whole or about one field. */
  static of<P extends RaisedProblem>(problem: P, params: ProblemParams[P], field?: string): ApiError {
    return new ApiError(problem, params, problemMessage(problem, params), field);
  }

  /** A problem a service refused with, in the words it gave. */
  static refused(refusal: ProblemOf, message: string, field?: string): ApiError {
    return new ApiError(refusal.problem, refusal.params, message, field);
  }

  /** Fields that failed a schema, the first of them named at the top as a validation error is. */
  static invalid(fields: readonly FieldError[]): ApiError {
    const [first] = fields;
    if (!first) return ApiError.of('malformed_request', { detail: 'invalid request' });
    return new ApiError(first.problem, first.params, first.message, first.field, [...fields]);
  }

  get code(): ErrorCode {
    return CODE_OF[this.problem];
  }

  get statusCode(): number {
    return ERROR_CODES[this.code];
  }
}

export const notFound = (entity: ProblemParams['not_found']['entity'], id: string): ApiError =>
  ApiError.of('not_found', { entity, id });

/** Zod issues (a schema checked inside a handler) as the error body's field errors, under `prefix` (`body`). */
export function fieldErrors(prefix: string, issues: readonly (IssueLike & { path: PropertyKey[] })[]): FieldError[] {
  return issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
    ...problemOfIssue(issue),
  }));
}

/** Any error as its HTTP status and the API's error body. */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return toErrorBody(
      ApiError.invalid(
        error.validation.map((v) => ({
          field: `${error.validationContext ?? ''}${v.instancePath.replaceAll('/', '.')}`,
          message: v.message ?? 'invalid',
          ...problemOfIssue({ ...v.params, code: v.keyword, message: v.message ?? '' }),
        })),
      ),
    );
  }
  const statusCode = (error as { statusCode?: number }).statusCode ?? 500;
  const known =
    error instanceof ApiError
      ? error
      : statusCode === 413
        ? ApiError.of('payload_too_large', {})
        : statusCode >= 400 && statusCode < 500
          ? ApiError.of('malformed_request', { detail: (error as Error).message })
          : ApiError.of('internal', {});
  const { code, message, problem, params, field, details } = known;
  return {
    status: known.statusCode,
    body: {
      error: { code, message, problem, params, ...(field !== undefined && { field }), ...(details && { details }) },
    },
  };
}

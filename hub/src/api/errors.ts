/**
 * The API's error codes, one catalogue. Every error response is
 * `{"error": {"code", "message", "details?"}}` with one of these codes.
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

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  get statusCode(): number {
    return ERROR_CODES[this.code];
  }
}

export const notFound = (what: string, id: string): ApiError =>
  new ApiError('not_found', `${what} ${id} does not exist`);

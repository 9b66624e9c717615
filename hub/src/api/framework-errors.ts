import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from './errors.js';

/**
 * Errors fastify and Node's HTTP parser answer before any route or the app's error handler
 * runs. Their default bodies (`{"error":"Bad Request","code":"FST_ERR_BAD_URL",…}`) are not
 * the API's `{"error":{"code","message"}}`, which every client of the API parses (found by
 * tests/fuzz-http.test.ts). Messages name the problem without echoing the request back: the
 * path of an over-long parameter may be 16 KiB.
 */
export function answerFrameworkError(
  error: Error & { code?: string },
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const message =
    error.code === 'FST_ERR_BAD_URL'
      ? 'the path has a malformed percent-encoding'
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? 'a path parameter is longer than any id can be'
        : 'the request cannot be routed';
  void reply
    .status(400)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ error: { code: 'bad_request' satisfies ErrorCode, message } }));
}

/**
 * Node's `clientError`: a request the HTTP parser cannot read (request line and headers over
 * 16 KiB, malformed framing, a header timeout). Answered on the raw socket, which is closed after.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'the request line and headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'the request did not arrive in time']
        : [400, 'bad_request', 'malformed HTTP request'];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

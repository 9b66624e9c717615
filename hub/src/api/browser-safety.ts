import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

/** The dashboard loads only its own scripts, styles and data; nothing may frame it. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Preact and uPlot set element styles from script; no inline <style> or style attributes are served.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * What keeps other sites out of a logged-in browser, besides the SameSite=Strict cookie:
 * a state-changing request that the browser marks as cross-site (Fetch Metadata) or whose
 * Origin is not this host is refused (CSRF, also for the login form); and every response
 * carries headers that stop sniffing, framing, referrer leaks and foreign scripts — HSTS too
 * when the hub is served over HTTPS. The OpenAPI viewer at /docs brings its own CSP.
 */
export function protectBrowsers(app: FastifyInstance, options: { https: boolean }): void {
  app.addHook('onRequest', async (request) => {
    if (STATE_CHANGING.has(request.method) && isCrossSite(request)) {
      throw ApiError.of('cross_site', {});
    }
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (!request.url.startsWith('/docs')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    if (options.https) reply.header('strict-transport-security', 'max-age=31536000');
  });
}

function isCrossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false; // not a browser form or fetch from another page (curl, devices' tools)
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true; // "null" and other opaque origins
  }
}

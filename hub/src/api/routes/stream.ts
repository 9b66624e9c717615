import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Alert } from '@mimamori/contract';
import { server } from '../serve.js';
import { currentUser, sessionCookieName, type ApiServices } from '../session.js';
import { alertAsSeenBy, canSeeHome } from '../visibility.js';

/** A comment line keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 25_000;

/**
 * Server-sent events for live pages: an `alert` event with the alert (as this user may see it)
 * whenever one of the user's homes has an alert opened, raised, acknowledged, resolved or
 * cleared. The page reloads its lists on reconnect, so no event ids or replay are kept.
 * The session is checked again before every write: logging out or deactivating the user
 * closes the stream rather than leaving an open window onto alerts.
 */
export const streamRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  // Open streams never end by themselves; the hub's shutdown must not wait for them.
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const response of open) response.end();
  });

  server(app, services)('GET /api/stream', async (request, reply) => {
    const user = currentUser(request);
    const token = request.cookies[sessionCookieName(services.secureCookies)] ?? '';
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write('retry: 3000\n\n');

    /** The user as the session stands now, or undefined (and the stream ended) once it is gone. */
    const viewer = () => {
      const current = services.users.sessionUser(token, services.clock.now());
      if (current?.id === user.id) return current;
      if (!response.writableEnded) response.end();
      return undefined;
    };
    const send = (alert: Alert) => {
      const current = viewer();
      if (current && canSeeHome(services, current, alert.homeId))
        response.write(`event: alert\ndata: ${JSON.stringify(alertAsSeenBy(services, current, alert))}\n\n`);
    };
    open.add(response);
    const unsubscribe = services.alertFeed.subscribe(send);
    const keepalive = setInterval(() => viewer() && response.write(': keepalive\n\n'), KEEPALIVE_MS);
    response.once('close', () => {
      clearInterval(keepalive);
      unsubscribe();
      open.delete(response);
    });
  });
};

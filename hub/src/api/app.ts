import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { protectBrowsers } from './browser-safety.js';
import { ApiError, toErrorBody } from './errors.js';
import { answerClientError, answerFrameworkError } from './framework-errors.js';
import { alexaRoutes } from './routes/alexa.js';
import { authRoutes } from './routes/auth.js';
import { alertRoutes } from './routes/alerts.js';
import { checkinRoutes } from './routes/checkins.js';
import { deviceRoutes } from './routes/devices.js';
import { eventRoutes } from './routes/events.js';
import { homeRoutes } from './routes/homes.js';
import { operationsRoutes } from './routes/operations.js';
import { ruleRoutes } from './routes/rules.js';
import { meRoutes } from './routes/me.js';
import { peopleRoutes } from './routes/people.js';
import { auditRoutes, reportRoutes } from './routes/reports.js';
import { streamRoutes } from './routes/stream.js';
import { absenceRoutes } from './routes/absences.js';
import { overviewRoutes } from './routes/overview.js';
import { parseJsonBody } from './json-body.js';
import { auditedBeforeSending, sessionCookieName, type ApiServices } from './session.js';

export type ApiDeps = ApiServices & {
  logger: Logger;
  bodyLimitBytes?: number;
  /** Certificate and key: serve HTTPS instead of HTTP. */
  tls?: { cert: Buffer; key: Buffer } | undefined;
  /** The built dashboard, served at `/`; none in API-only tests. */
  dashboardDir?: string | undefined;
  /** The Alexa skill's endpoint (POST /alexa), its own plugin: it reads its body raw to check Alexa's signature. */
  alexaEndpoint?: FastifyPluginAsync | undefined;
};

/**
 * Builds the HTTP API without listening (tests use `inject()`; the hub calls `listen`).
 * Every route has request and response schemas from the contract package; responses are
 * serialised through them, so a field not in the schema never leaves the hub.
 */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // TLS 1.2 or newer; the cookie, HSTS and CSRF checks follow `secureCookies`.
    ...(deps.tls && { https: { ...deps.tls, minVersion: 'TLSv1.2' as const } }),
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.bodyLimitBytes ?? 256 * 1024,
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  }).withTypeProvider<ZodTypeProvider>();
  // Names a refused `__proto__`/`constructor` key instead of calling the body invalid JSON (json-body.ts).
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
    try {
      done(null, parseJsonBody(text as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addHook('onSend', async (request) => auditedBeforeSending(request));
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorBody(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // The dashboard's own addresses (/homes/h-1, /rules/sos) are its page, so a reload or a link works.
    if (deps.dashboardDir && isDashboardPage(request.method, path, request.headers.accept))
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    throw ApiError.of('no_route', { method: request.method, path });
  });

  protectBrowsers(app, { https: deps.secureCookies });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Mimamori Hub API',
        version: '1',
        description: 'Watch-over hub: homes, devices, events, check-ins, absences, alerts',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: sessionCookieName(deps.secureCookies) } },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  if (deps.dashboardDir)
    await app.register(fastifyStatic, {
      root: deps.dashboardDir,
      index: 'index.html',
      wildcard: false,
      cacheControl: false,
    });
  // Alexa's endpoint is its own plugin: it keeps the body raw to check Alexa's signature over it.
  if (deps.alexaEndpoint) await app.register(deps.alexaEndpoint);
  // Who may call each route is in the contract's table (serve.ts), not in how the plugins are grouped.
  for (const routes of [
    operationsRoutes,
    authRoutes,
    homeRoutes,
    deviceRoutes,
    eventRoutes,
    checkinRoutes,
    ruleRoutes,
    peopleRoutes,
    reportRoutes,
    alexaRoutes,
    alertRoutes,
    meRoutes,
    streamRoutes,
    absenceRoutes,
    overviewRoutes,
    auditRoutes,
  ])
    await app.register(routes, deps);
  return app;
}

/**
 * A browser navigating to a page of the dashboard (it asks for HTML; scripts and images do not),
 * not to the API or its documentation. Rule ids have dots (/rules/inactivity.24h), so a dot does
 * not make a path a file.
 */
function isDashboardPage(method: string, path: string, accept: string | undefined): boolean {
  return (
    (method === 'GET' || method === 'HEAD') &&
    (accept ?? '').includes('text/html') &&
    !/^\/(api|docs|health|metrics|mqtt)(\/|$)/.test(path)
  );
}

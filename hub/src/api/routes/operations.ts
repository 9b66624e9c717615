import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { health } from '@mimamori/contract';
import { z } from 'zod';
import type { ApiServices } from '../session.js';

/** `/health` for load balancers and watchdogs, `/metrics` for Prometheus. */
export const operationsRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Liveness and readiness of broker, stores and notifier',
        response: { 200: health, 503: health },
      },
    },
    async (_request, reply) => {
      const { ok, checks } = await services.health();
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', checks });
    },
  );
  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics (text exposition format)', response: { 200: z.string() } } },
    async (_request, reply) =>
      reply
        .type('text/plain; version=0.0.4; charset=utf-8')
        .serializer((s: string) => s)
        .send(await services.metricsText()),
  );
};

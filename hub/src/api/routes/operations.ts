import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { server } from '../serve.js';
import type { ApiServices } from '../session.js';

/** `/health` for load balancers and watchdogs, `/metrics` for Prometheus. */
export const operationsRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const route = server(app, services);
  route('GET /health', async (_request, reply) => {
    const { ok, checks } = await services.health();
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', checks });
  });
  route('GET /metrics', async (_request, reply) =>
    reply
      .type('text/plain; version=0.0.4; charset=utf-8')
      .serializer((s: string) => s)
      .send(await services.metricsText()),
  );
};

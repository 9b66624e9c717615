import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, notFound } from '../errors.js';
import { server } from '../serve.js';
import { audit, type ApiServices } from '../session.js';

/** A history read is bounded so that one request cannot scan years of a home's events. */
const MAX_RANGE_DAYS = 93;

export const eventRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { homes, timeSeries } = services;
  server(app, services)('GET /api/homes/:id/events', async (request) => {
    const { id } = request.params;
    if (!homes.get(id)) throw notFound('home', id);
    const from = Date.parse(request.query.from);
    const to = Date.parse(request.query.to);
    if (to <= from) throw ApiError.of('range_reversed', {}, 'querystring.to');
    if (to - from > MAX_RANGE_DAYS * 86_400_000)
      throw ApiError.of('range_too_long', { maxDays: MAX_RANGE_DAYS }, 'querystring.to');
    audit(services, request, 'events.view', {
      homeId: id,
      detail: { from: request.query.from, to: request.query.to },
    });
    const events = await timeSeries.query({
      homeId: id,
      from,
      to,
      limit: request.query.limit,
      ...(request.query.type ? { types: [request.query.type] } : {}),
    });
    return {
      items: events.map((e) => ({
        ...e,
        ts: new Date(e.ts).toISOString(),
        receivedAt: new Date(e.receivedAt).toISOString(),
      })),
    };
  });
};

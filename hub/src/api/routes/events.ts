import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { entityId, errorBody, eventQuery, eventRecord, listOf } from '@mimamori/contract';
import { z } from 'zod';
import { ApiError, notFound } from '../errors.js';
import { audit, type ApiServices } from '../session.js';

/** A history read is bounded so that one request cannot scan years of a home's events. */
const MAX_RANGE_MS = 93 * 24 * 60 * 60 * 1000;

export const eventRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { homes, timeSeries } = services;
  app.get(
    '/homes/:id/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Events of a home with from <= ts < to, oldest first',
        params: z.object({ id: entityId }),
        querystring: eventQuery,
        response: { 200: listOf(eventRecord), 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!homes.get(id)) throw notFound('home', id);
      const from = Date.parse(request.query.from);
      const to = Date.parse(request.query.to);
      if (to <= from) throw new ApiError('bad_request', 'querystring.to: must be after from');
      if (to - from > MAX_RANGE_MS)
        throw new ApiError('bad_request', 'querystring.to: the range may span at most 93 days');
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
    },
  );
};

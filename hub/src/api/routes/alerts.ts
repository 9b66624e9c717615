import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { alert, alertQuery, errorBody, listOf } from '@mimamori/contract';
import type { ApiServices } from '../session.js';

export const alertRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { alerts }) => {
  app.get(
    '/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alerts, newest first',
        querystring: alertQuery,
        response: { 200: listOf(alert), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (request) => {
      const { status, homeId, limit } = request.query;
      return { items: alerts.list({ limit, ...(status ? { status } : {}), ...(homeId ? { homeId } : {}) }) };
    },
  );
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { alert, alertDetail, alertQuery, alertResolveInput, entityId, errorBody, listOf } from '@mimamori/contract';
import { z } from 'zod';
import { AlertActionError } from '../../alerts/index.js';
import { ApiError, notFound } from '../errors.js';
import { currentUser, type ApiServices } from '../session.js';

const idParams = z.object({ id: entityId });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

/** Alerts: list, one with its timeline, acknowledge ("向かいます"), resolve with an outcome. */
export const alertRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { alerts, alertService, clock }) => {
  const acting = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      if (error instanceof AlertActionError) throw new ApiError(error.code, error.message);
      throw error;
    }
  };

  app.get(
    '/alerts',
    { schema: { tags: ['alerts'], summary: 'Alerts, newest first', querystring: alertQuery, response: { 200: listOf(alert), ...errors } } },
    async (request) => {
      const { status, homeId, limit } = request.query;
      return { items: alerts.list({ limit, ...(status ? { status } : {}), ...(homeId ? { homeId } : {}) }) };
    },
  );

  app.get(
    '/alerts/:id',
    { schema: { tags: ['alerts'], summary: 'An alert with its timeline', params: idParams, response: { 200: alertDetail, ...errors } } },
    async (request) => alerts.detail(request.params.id) ?? (() => { throw notFound('alert', request.params.id); })(),
  );

  app.post(
    '/alerts/:id/ack',
    { schema: { tags: ['alerts'], summary: 'Acknowledge: "I am going" (向かいます)', params: idParams, response: { 200: alert, ...errors } } },
    async (request) => {
      const user = currentUser(request);
      return acting(() => alertService.acknowledge(request.params.id, { username: user.username, displayName: user.displayName }, clock.now()));
    },
  );

  app.post(
    '/alerts/:id/resolve',
    { schema: { tags: ['alerts'], summary: 'Resolve with an outcome', params: idParams, body: alertResolveInput, response: { 200: alert, ...errors } } },
    async (request) => {
      const user = currentUser(request);
      const { outcome, note } = request.body;
      return acting(() => alertService.resolve(request.params.id, { username: user.username, displayName: user.displayName }, outcome, note, clock.now()));
    },
  );
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  alert,
  alertDetail,
  alertQuery,
  alertResolveInput,
  entityId,
  errorBody,
  listOf,
  type Alert,
  type User,
} from '@mimamori/contract';
import { z } from 'zod';
import { AlertActionError, type Actor } from '../../alerts/index.js';
import { deliveriesOf } from '../deliveries.js';
import { ApiError, notFound } from '../errors.js';
import { audit, currentUser, type ApiServices } from '../session.js';
import { alertAsSeenBy, requireHomeAccess } from '../visibility.js';

const idParams = z.object({ id: entityId });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

/**
 * Alerts for everyone who acts on them: staff see all; a volunteer or family member sees the
 * homes of their network, in the words the home's consent allows, and may claim ("向かいます")
 * and resolve those alerts only.
 */
export const alertRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { alerts, alertService, users, clock } = services;
  const acting = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      if (error instanceof AlertActionError) throw new ApiError(error.code, error.message);
      throw error;
    }
  };
  const requireAlert = (id: string, user: User): Alert => {
    const found = alerts.get(id);
    if (!found) throw notFound('alert', id);
    requireHomeAccess(services, user, found.homeId);
    return found;
  };
  const asSeenBy = <A extends Alert>(user: User, item: A): A => alertAsSeenBy(services, user, item);
  const actor = (user: User): Actor => {
    const profile = users.get(user.id);
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      affiliation: profile?.affiliation ?? null,
    };
  };

  app.get(
    '/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alerts, newest first (a watcher: the homes of their network)',
        querystring: alertQuery,
        response: { 200: listOf(alert), ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { status, homeId, limit } = request.query;
      const watcherId = user.role === 'admin' || user.role === 'staff' ? undefined : user.id;
      // Another home's alerts are refused, not listed empty: 403 as everywhere (docs/protocol.md, HTTP).
      if (homeId !== undefined) requireHomeAccess(services, user, homeId);
      audit(services, request, 'alerts.list', { homeId });
      return { items: alerts.list({ limit, status, homeId, watcherId }).map((item) => asSeenBy(user, item)) };
    },
  );

  app.get(
    '/alerts/:id',
    {
      schema: {
        tags: ['alerts'],
        summary: 'An alert with its timeline (and, for staff, every notification of it and its last error)',
        params: idParams,
        response: { 200: alertDetail, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const found = requireAlert(request.params.id, user);
      audit(services, request, 'alert.view', { homeId: found.homeId, subject: found.id });
      const detail = asSeenBy(
        user,
        alerts.detail(found.id) ??
          (() => {
            throw notFound('alert', found.id);
          })(),
      );
      return user.role === 'admin' || user.role === 'staff'
        ? { ...detail, deliveries: deliveriesOf(services, found.id) }
        : detail;
    },
  );

  app.post(
    '/alerts/:id/ack',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledge: "I am going" (向かいます); escalation stops and the network hears who has it',
        params: idParams,
        response: { 200: alert, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const found = requireAlert(request.params.id, user);
      const acknowledged = acting(() => alertService.acknowledge(found.id, actor(user), clock.now()));
      audit(services, request, 'alert.ack', { homeId: found.homeId, subject: found.id });
      return asSeenBy(user, acknowledged);
    },
  );

  app.post(
    '/alerts/:id/resolve',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Resolve with an outcome',
        params: idParams,
        body: alertResolveInput,
        response: { 200: alert, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const found = requireAlert(request.params.id, user);
      const { outcome, note } = request.body;
      const resolved = acting(() => alertService.resolve(found.id, actor(user), outcome, note, clock.now()));
      audit(services, request, 'alert.resolve', { homeId: found.homeId, subject: found.id, detail: { outcome } });
      return asSeenBy(user, resolved);
    },
  );
};

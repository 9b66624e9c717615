import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Alert, User } from '@mimamori/contract';
import { AlertActionError, type Actor } from '../../alerts/index.js';
import { deliveriesOf } from '../deliveries.js';
import { ApiError, notFound } from '../errors.js';
import { server } from '../serve.js';
import { audit, currentUser, type ApiServices } from '../session.js';
import { alertAsSeenBy, requireHomeAccess } from '../visibility.js';

/**
 * Alerts for everyone who acts on them: staff see all; a volunteer or family member sees the
 * homes of their network, in the words the home's consent allows, and may claim ("向かいます")
 * and resolve those alerts only.
 */
export const alertRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { alerts, alertService, users, clock } = services;
  const route = server(app, services);
  /** Why an action was refused, from the alert as it stands now: it has ended, or someone else has it. */
  const refusal = (id: string): ApiError => {
    const current = alerts.get(id);
    if (!current) return notFound('alert', id);
    if (current.status === 'resolved') return ApiError.of('alert_resolved', {});
    if (current.status === 'auto_resolved') return ApiError.of('alert_cleared', {});
    return ApiError.of('alert_taken', {
      by: current.acknowledgedBy ?? 'someone',
      byName: current.acknowledgedByName,
    });
  };
  const acting = <T>(id: string, work: () => T): T => {
    try {
      return work();
    } catch (error) {
      if (error instanceof AlertActionError) throw refusal(id);
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

  route('GET /api/alerts', async (request) => {
    const user = currentUser(request);
    const { status, homeId, limit } = request.query;
    const watcherId = user.role === 'admin' || user.role === 'staff' ? undefined : user.id;
    // Another home's alerts are refused, not listed empty: 403 as everywhere (docs/protocol.md, HTTP).
    if (homeId !== undefined) requireHomeAccess(services, user, homeId);
    audit(services, request, 'alerts.list', { homeId });
    return { items: alerts.list({ limit, status, homeId, watcherId }).map((item) => asSeenBy(user, item)) };
  });

  route('GET /api/alerts/:id', async (request) => {
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
  });

  route('POST /api/alerts/:id/ack', async (request) => {
    const user = currentUser(request);
    const found = requireAlert(request.params.id, user);
    const acknowledged = acting(found.id, () => alertService.acknowledge(found.id, actor(user), clock.now()));
    audit(services, request, 'alert.ack', { homeId: found.homeId, subject: found.id });
    return asSeenBy(user, acknowledged);
  });

  route('POST /api/alerts/:id/release', async (request) => {
    const user = currentUser(request);
    const found = requireAlert(request.params.id, user);
    const onBehalf = user.role === 'admin' || user.role === 'staff';
    let released: Alert;
    try {
      released = alertService.release(found.id, actor(user), onBehalf, clock.now());
    } catch (error) {
      if (!(error instanceof AlertActionError)) throw error;
      const current = alerts.get(found.id);
      if (current?.status !== 'acknowledged')
        throw current?.status === 'open' ? ApiError.of('alert_not_taken', {}) : refusal(found.id);
      throw ApiError.of('alert_taken_by_other', {
        by: current.acknowledgedBy ?? 'someone',
        byName: current.acknowledgedByName,
      });
    }
    audit(services, request, 'alert.release', {
      homeId: found.homeId,
      subject: found.id,
      detail: { acknowledgedBy: found.acknowledgedBy },
    });
    return asSeenBy(user, released);
  });

  route('POST /api/alerts/:id/resolve', async (request) => {
    const user = currentUser(request);
    const found = requireAlert(request.params.id, user);
    const { outcome, note } = request.body;
    const resolved = acting(found.id, () => alertService.resolve(found.id, actor(user), outcome, note, clock.now()));
    audit(services, request, 'alert.resolve', { homeId: found.homeId, subject: found.id, detail: { outcome } });
    return asSeenBy(user, resolved);
  });
};

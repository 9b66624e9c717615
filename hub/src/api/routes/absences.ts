import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Absence } from '@mimamori/contract';
import { ApiError, notFound } from '../errors.js';
import { server } from '../serve.js';
import { audit, currentUser, type ApiServices } from '../session.js';
import { canSeeHealth, requireHomeAccess } from '../visibility.js';

/**
 * A home's absences (不在登録), for staff and for the watchers of the home's network: the
 * neighbour who hears of a hospital stay registers it, always with an end, and is recorded as
 * the one who did. Listing every active absence of all homes stays with staff (checkins.ts).
 */
export const absenceRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { homes, absences, checkinService, clock } = services;
  const route = server(app, services);
  const requireHome = (id: string) =>
    homes.get(id) ??
    (() => {
      throw notFound('home', id);
    })();
  const asSeenBy = (request: FastifyRequest, item: Absence) => {
    const home = homes.get(item.homeId);
    return home && !canSeeHealth(currentUser(request), home) ? { ...item, reason: null, note: null } : item;
  };

  route('GET /api/homes/:id/absences', async (request) => {
    requireHome(request.params.id);
    requireHomeAccess(services, currentUser(request), request.params.id);
    audit(services, request, 'absences.view', { homeId: request.params.id });
    return {
      items: absences
        .listForHome(request.params.id, clock.now(), request.query.all === 'true')
        .map((item) => asSeenBy(request, item)),
    };
  });

  route('POST /api/homes/:id/absences', async (request, reply) => {
    requireHome(request.params.id);
    requireHomeAccess(services, currentUser(request), request.params.id);
    const now = clock.now();
    const startsAt = request.body.startsAt ?? new Date(now).toISOString();
    if (Date.parse(request.body.endsAt) <= Math.max(Date.parse(startsAt), now)) {
      throw ApiError.of('end_not_future', {}, 'body.endsAt');
    }
    const created = absences.create(
      request.params.id,
      { ...request.body, startsAt },
      currentUser(request).username,
      now,
    );
    checkinService.absenceChanged(created.id);
    audit(services, request, 'absence.create', {
      homeId: created.homeId,
      subject: created.id,
      detail: { reason: created.reason, endsAt: created.endsAt },
    });
    // The echo of what the caller just entered tells them nothing new; it is not narrowed.
    return reply.status(201).send(created);
  });

  const requireAbsence = (id: string, request: FastifyRequest) => {
    const found =
      absences.get(id, clock.now()) ??
      (() => {
        throw notFound('absence', id);
      })();
    requireHomeAccess(services, currentUser(request), found.homeId);
    return found;
  };

  route('PATCH /api/absences/:id', async (request) => {
    const current = requireAbsence(request.params.id, request);
    const now = clock.now();
    const endsAt = request.body.endsAt === undefined ? undefined : Date.parse(request.body.endsAt);
    if (endsAt !== undefined && endsAt <= Math.max(Date.parse(current.startsAt), now)) {
      // DELETE ends an absence now.
      throw ApiError.of('end_not_future', {}, 'body.endsAt');
    }
    absences.update(current.id, { endsAt, note: request.body.note }, currentUser(request).username, now);
    checkinService.absenceChanged(current.id);
    audit(services, request, 'absence.update', {
      homeId: current.homeId,
      subject: current.id,
      detail: { endsAt: request.body.endsAt },
    });
    return asSeenBy(request, requireAbsence(current.id, request));
  });

  route('DELETE /api/absences/:id', async (request) => {
    const current = requireAbsence(request.params.id, request);
    const now = clock.now();
    // Ended rather than erased: who registered it and when stays on record.
    if (Date.parse(current.startsAt) >= now) absences.delete(current.id);
    else absences.update(current.id, { endsAt: now }, currentUser(request).username, now);
    checkinService.absenceChanged(current.id);
    audit(services, request, 'absence.end', { homeId: current.homeId, subject: current.id });
    return asSeenBy(request, absences.get(current.id, now) ?? { ...current, active: false });
  });
};

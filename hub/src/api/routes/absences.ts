import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ABSENCE_MAX_DAYS, type Absence } from '@mimamori/contract';
import { ApiError, notFound } from '../errors.js';
import { server } from '../serve.js';
import { audit, currentUser, type ApiServices } from '../session.js';
import { canSeeHealth, requireHomeAccess } from '../visibility.js';

const DAY = 86_400_000;

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
  /**
   * An absence's end must lie ahead of its start and of now, within ABSENCE_MAX_DAYS unless a
   * staff member confirms a longer one with a reason (audited), and it must not overlap another
   * absence of the home: two records of one stay would make its end unclear (issue 19 item 5).
   */
  const checkPeriod = (
    request: FastifyRequest,
    period: { homeId: string; startsAt: number; endsAt: number; except?: string },
    confirmLong: { reason: string } | undefined,
  ) => {
    const now = clock.now();
    if (period.endsAt <= Math.max(period.startsAt, now)) throw ApiError.of('end_not_future', {}, 'body.endsAt');
    if (period.endsAt - now > ABSENCE_MAX_DAYS * DAY) {
      if (!confirmLong) throw ApiError.of('end_too_far', { maxDays: ABSENCE_MAX_DAYS }, 'body.endsAt');
      const role = currentUser(request).role;
      if (role !== 'staff' && role !== 'admin') throw ApiError.of('role_required', { roles: ['staff', 'admin'] });
    }
    const other = absences
      .overlapping(period.homeId, period.startsAt, period.endsAt)
      .find((a) => a.id !== period.except);
    if (other)
      throw ApiError.of('absence_overlaps', {
        id: other.id,
        startsAt: new Date(other.startsAt).toISOString(),
        endsAt: new Date(other.endsAt).toISOString(),
      });
  };
  const auditLong = (request: FastifyRequest, absence: Absence, confirmLong: { reason: string } | undefined) => {
    if (confirmLong)
      audit(services, request, 'absence.long_confirmed', {
        homeId: absence.homeId,
        subject: absence.id,
        detail: { reason: confirmLong.reason, endsAt: absence.endsAt },
      });
  };
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
    const { confirmLong, ...input } = request.body;
    const startsAt = input.startsAt ?? new Date(now).toISOString();
    checkPeriod(
      request,
      { homeId: request.params.id, startsAt: Date.parse(startsAt), endsAt: Date.parse(input.endsAt) },
      confirmLong,
    );
    const created = absences.create(request.params.id, { ...input, startsAt }, currentUser(request).username, now);
    checkinService.absenceChanged(created.id);
    audit(services, request, 'absence.create', {
      homeId: created.homeId,
      subject: created.id,
      detail: { reason: created.reason, endsAt: created.endsAt },
    });
    auditLong(request, created, confirmLong);
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
    // An end in the past is refused: DELETE ends an absence now.
    if (endsAt !== undefined)
      checkPeriod(
        request,
        { homeId: current.homeId, startsAt: Date.parse(current.startsAt), endsAt, except: current.id },
        request.body.confirmLong,
      );
    absences.update(current.id, { endsAt, note: request.body.note }, currentUser(request).username, now);
    checkinService.absenceChanged(current.id);
    auditLong(request, current, request.body.confirmLong);
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

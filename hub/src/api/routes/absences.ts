import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  absence,
  absenceInput,
  absenceReason,
  absenceUpdate,
  entityId,
  errorBody,
  listOf,
  type Absence,
} from '@mimamori/contract';
import { z } from 'zod';
import { ApiError, notFound } from '../errors.js';
import { audit, currentUser, type ApiServices } from '../session.js';
import { canSeeHealth, requireHomeAccess } from '../visibility.js';

const idParams = z.object({ id: entityId });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };
/** Why someone is away (入院…) and the note are health detail: null for a watcher without health consent, as in the overview. */
const absenceSeen = absence.extend({ reason: absenceReason.nullable(), note: z.string().nullable() });

/**
 * A home's absences (不在登録), for staff and for the watchers of the home's network: the
 * neighbour who hears of a hospital stay registers it, always with an end, and is recorded as
 * the one who did. Listing every active absence of all homes stays with staff (checkins.ts).
 */
export const absenceRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { homes, absences, checkinService, clock } = services;
  const requireHome = (id: string) =>
    homes.get(id) ??
    (() => {
      throw notFound('home', id);
    })();
  const asSeenBy = (request: FastifyRequest, item: Absence) => {
    const home = homes.get(item.homeId);
    return home && !canSeeHealth(currentUser(request), home) ? { ...item, reason: null, note: null } : item;
  };

  app.get(
    '/homes/:id/absences',
    {
      schema: {
        tags: ['absences'],
        params: idParams,
        querystring: z.object({ all: z.enum(['true', 'false']).default('false').describe('Include ended absences') }),
        response: { 200: listOf(absenceSeen), ...errors },
      },
    },
    async (request) => {
      requireHome(request.params.id);
      requireHomeAccess(services, currentUser(request), request.params.id);
      audit(services, request, 'absences.view', { homeId: request.params.id });
      return {
        items: absences
          .listForHome(request.params.id, clock.now(), request.query.all === 'true')
          .map((item) => asSeenBy(request, item)),
      };
    },
  );

  app.post(
    '/homes/:id/absences',
    { schema: { tags: ['absences'], params: idParams, body: absenceInput, response: { 201: absence, ...errors } } },
    async (request, reply) => {
      requireHome(request.params.id);
      requireHomeAccess(services, currentUser(request), request.params.id);
      const now = clock.now();
      const startsAt = request.body.startsAt ?? new Date(now).toISOString();
      if (Date.parse(request.body.endsAt) <= Math.max(Date.parse(startsAt), now)) {
        throw new ApiError('bad_request', 'body.endsAt: must be in the future and after startsAt');
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
    },
  );

  const requireAbsence = (id: string, request: FastifyRequest) => {
    const found =
      absences.get(id, clock.now()) ??
      (() => {
        throw notFound('absence', id);
      })();
    requireHomeAccess(services, currentUser(request), found.homeId);
    return found;
  };

  app.patch(
    '/absences/:id',
    {
      schema: { tags: ['absences'], params: idParams, body: absenceUpdate, response: { 200: absenceSeen, ...errors } },
    },
    async (request) => {
      const current = requireAbsence(request.params.id, request);
      const now = clock.now();
      const endsAt = request.body.endsAt === undefined ? undefined : Date.parse(request.body.endsAt);
      if (endsAt !== undefined && endsAt <= Math.max(Date.parse(current.startsAt), now)) {
        throw new ApiError(
          'bad_request',
          'body.endsAt: must be in the future and after startsAt (DELETE ends an absence now)',
        );
      }
      absences.update(current.id, { endsAt, note: request.body.note }, currentUser(request).username, now);
      checkinService.absenceChanged(current.id);
      audit(services, request, 'absence.update', {
        homeId: current.homeId,
        subject: current.id,
        detail: { endsAt: request.body.endsAt },
      });
      return asSeenBy(request, requireAbsence(current.id, request));
    },
  );

  app.delete(
    '/absences/:id',
    {
      schema: {
        tags: ['absences'],
        description: 'Ends the absence now; monitoring resumes',
        params: idParams,
        response: { 200: absenceSeen, ...errors },
      },
    },
    async (request) => {
      const current = requireAbsence(request.params.id, request);
      const now = clock.now();
      // Ended rather than erased: who registered it and when stays on record.
      if (Date.parse(current.startsAt) >= now) absences.delete(current.id);
      else absences.update(current.id, { endsAt: now }, currentUser(request).username, now);
      checkinService.absenceChanged(current.id);
      audit(services, request, 'absence.end', { homeId: current.homeId, subject: current.id });
      return asSeenBy(request, absences.get(current.id, now) ?? { ...current, active: false });
    },
  );
};

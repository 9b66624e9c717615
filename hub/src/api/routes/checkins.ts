import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  absence,
  checkinHistoryQuery,
  checkinRecord,
  checkinSchedule,
  checkinScheduleInput,
  checkinScheduleUpdate,
  checkinStatus,
  entityId,
  errorBody,
  listOf,
  type CheckinScheduleInput,
  type Resident,
} from '@mimamori/contract';
import { z } from 'zod';
import { cronProblem, recordView, scheduleView, statusView } from '../../checkins/index.js';
import { ApiError, notFound } from '../errors.js';
import { audit, type ApiServices } from '../session.js';

const idParams = z.object({ id: entityId });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };
/** Enough recent check-ins to count a run of misses and find the last answer. */
const RECENT = 30;
/** The longest history one request returns: a calendar quarter and a bit. */
const MAX_HISTORY_MS = 100 * 24 * 60 * 60 * 1000;

/** Check-in schedules, the list of active absences, status and history (staff). */
export const checkinRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { homes, schedules, checkins, absences, checkinService, clock } = services;
  const requireResident = (id: string) =>
    homes.getResident(id) ??
    (() => {
      throw notFound('resident', id);
    })();
  const requireHome = (id: string) =>
    homes.get(id) ??
    (() => {
      throw notFound('home', id);
    })();
  const requireSchedule = (id: string) =>
    schedules.get(id) ??
    (() => {
      throw notFound('schedule', id);
    })();
  const view = (id: string) => scheduleView(requireSchedule(id), checkinService.nextDueAt(id));
  const checkCron = (spec: CheckinScheduleInput) => {
    const problem = cronProblem(spec.cron, spec.timezone);
    if (problem) throw new ApiError('bad_request', `body.cron: ${problem}`, [{ field: 'body.cron', message: problem }]);
  };

  app.get(
    '/residents/:id/schedules',
    { schema: { tags: ['check-ins'], params: idParams, response: { 200: listOf(checkinSchedule), ...errors } } },
    async (request) => {
      requireResident(request.params.id);
      return {
        items: schedules.listForResident(request.params.id).map((s) => scheduleView(s, checkinService.nextDueAt(s.id))),
      };
    },
  );

  app.post(
    '/residents/:id/schedules',
    {
      schema: {
        tags: ['check-ins'],
        params: idParams,
        body: checkinScheduleInput,
        response: { 201: checkinSchedule, ...errors },
      },
    },
    async (request, reply) => {
      const resident = requireResident(request.params.id);
      checkCron(request.body);
      const created = schedules.create(resident.id, resident.homeId, request.body, clock.now());
      checkinService.scheduleChanged(created.id);
      return reply.status(201).send(view(created.id));
    },
  );

  app.get(
    '/schedules/:id',
    { schema: { tags: ['check-ins'], params: idParams, response: { 200: checkinSchedule, ...errors } } },
    async (request) => view(request.params.id),
  );

  app.patch(
    '/schedules/:id',
    {
      schema: {
        tags: ['check-ins'],
        params: idParams,
        body: checkinScheduleUpdate,
        response: { 200: checkinSchedule, ...errors },
      },
    },
    async (request) => {
      const current = requireSchedule(request.params.id);
      const merged = checkinScheduleInput.safeParse({ ...current.spec, ...request.body });
      if (!merged.success) {
        const issue = merged.error.issues[0];
        throw new ApiError(
          'bad_request',
          `body.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
          merged.error.issues,
        );
      }
      checkCron(merged.data);
      schedules.replaceSpec(current.id, merged.data, clock.now());
      checkinService.scheduleChanged(current.id);
      return view(current.id);
    },
  );

  app.delete(
    '/schedules/:id',
    { schema: { tags: ['check-ins'], params: idParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      requireSchedule(request.params.id);
      schedules.delete(request.params.id);
      checkinService.scheduleChanged(request.params.id);
      return reply.status(204).send(null);
    },
  );

  // Absences: who registered each is recorded, and active ones are listed across all homes,
  // because an absence on the wrong home silently stops that home's watch.
  app.get(
    '/absences',
    {
      schema: {
        tags: ['absences'],
        description: 'Every absence active now, across all homes',
        response: { 200: listOf(absence), ...errors },
      },
    },
    async (request) => {
      audit(services, request, 'absences.view');
      return { items: absences.listActive(clock.now()) };
    },
  );

  // Status and history.
  const statusOf = (resident: Resident) => {
    const now = clock.now();
    const active = absences.activeAt(resident.homeId, now);
    const residentSchedules = schedules.listForResident(resident.id);
    const nextDue = residentSchedules
      .map((s) => checkinService.nextDueAt(s.id))
      .filter((t): t is number => t !== undefined);
    return statusView(
      resident,
      {
        schedules: residentSchedules,
        recent: checkins.recentForResident(resident.id, RECENT),
        absence: active,
        absenceView: active ? (absences.get(active.id, now) ?? null) : null,
        nextDueAt: nextDue.length > 0 ? Math.min(...nextDue) : undefined,
      },
      now,
    );
  };

  app.get(
    '/residents/:id/checkin-status',
    { schema: { tags: ['check-ins'], params: idParams, response: { 200: checkinStatus, ...errors } } },
    async (request) => {
      const resident = requireResident(request.params.id);
      audit(services, request, 'checkins.view', { homeId: resident.homeId, subject: resident.id });
      return statusOf(resident);
    },
  );

  app.get(
    '/checkin-status',
    {
      schema: {
        tags: ['check-ins'],
        description: 'Check-in status of every resident (or of one home), worst first',
        querystring: z.object({ homeId: entityId.optional() }),
        response: { 200: listOf(checkinStatus), ...errors },
      },
    },
    async (request) => {
      const homeIds = request.query.homeId ? [requireHome(request.query.homeId).id] : homes.list().map((h) => h.id);
      audit(services, request, 'checkins.view', { homeId: request.query.homeId });
      const items = homeIds.flatMap((id) => homes.listResidents(id)).map(statusOf);
      return {
        items: items.sort(
          (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.residentId.localeCompare(b.residentId),
        ),
      };
    },
  );

  app.get(
    '/homes/:id/checkins',
    {
      schema: {
        tags: ['check-ins'],
        description: 'One row per scheduled check-in due in [from, to), with its outcome',
        params: idParams,
        querystring: checkinHistoryQuery,
        response: { 200: listOf(checkinRecord), ...errors },
      },
    },
    async (request) => {
      const home = requireHome(request.params.id);
      const from = Date.parse(request.query.from);
      const to = Date.parse(request.query.to);
      if (!(to > from) || to - from > MAX_HISTORY_MS)
        throw new ApiError('bad_request', 'querystring.to: must be after from, at most 100 days later');
      const timezones = new Map<string, string>();
      const tz = (scheduleId: string): string => {
        const known = timezones.get(scheduleId);
        if (known) return known;
        const timezone = schedules.get(scheduleId)?.spec.timezone ?? home.timezone;
        timezones.set(scheduleId, timezone);
        return timezone;
      };
      audit(services, request, 'checkins.view', {
        homeId: home.id,
        detail: { from: request.query.from, to: request.query.to },
      });
      return {
        items: checkins
          .history(home.id, from, to, request.query.residentId)
          .map((o) => recordView(o, tz(o.scheduleId))),
      };
    },
  );
};

/** Who needs attention first on a staff overview. */
const STATUS_ORDER = { missed: 0, late: 1, pending: 2, absent: 3, paused: 4, up: 5 } as const;

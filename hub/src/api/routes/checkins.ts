import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { checkinScheduleInput, type Absence, type CheckinScheduleInput, type Resident } from '@mimamori/contract';
import { cronProblem, nextAfter, recordView, scheduleView, statusView } from '../../checkins/index.js';
import { ApiError, fieldErrors, notFound } from '../errors.js';
import type { StoredSchedule } from '../../store/index.js';
import { server } from '../serve.js';
import { audit, type ApiServices } from '../session.js';

/** Enough recent check-ins to count a run of misses and find the last answer. */
const RECENT = 30;
/** The longest history one request returns: a calendar quarter and a bit. */
const MAX_HISTORY_DAYS = 100;

/** Check-in schedules, the list of active absences, status and history (staff). */
export const checkinRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { homes, schedules, checkins, absences, checkinService, clock } = services;
  const route = server(app, services);
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
    if (problem) throw ApiError.of('cron_invalid', { detail: problem }, 'body.cron');
  };

  route('GET /api/residents/:id/schedules', async (request) => {
    requireResident(request.params.id);
    return {
      items: schedules.listForResident(request.params.id).map((s) => scheduleView(s, checkinService.nextDueAt(s.id))),
    };
  });

  route('POST /api/residents/:id/schedules', async (request, reply) => {
    const resident = requireResident(request.params.id);
    checkCron(request.body);
    const created = schedules.create(resident.id, resident.homeId, request.body, clock.now());
    checkinService.scheduleChanged(created.id);
    return reply.status(201).send(view(created.id));
  });

  route('GET /api/schedules/:id', async (request) => view(request.params.id));

  route('PATCH /api/schedules/:id', async (request) => {
    const current = requireSchedule(request.params.id);
    const merged = checkinScheduleInput.safeParse({ ...current.spec, ...request.body });
    if (!merged.success) throw ApiError.invalid(fieldErrors('body', merged.error.issues));
    checkCron(merged.data);
    schedules.replaceSpec(current.id, merged.data, clock.now());
    checkinService.scheduleChanged(current.id);
    return view(current.id);
  });

  route('DELETE /api/schedules/:id', async (request, reply) => {
    requireSchedule(request.params.id);
    schedules.delete(request.params.id);
    checkinService.scheduleChanged(request.params.id);
    return reply.status(204).send(null);
  });

  // Absences: who registered each is recorded, and active ones are listed across all homes,
  // because an absence on the wrong home silently stops that home's watch.
  route('GET /api/absences', async (request) => {
    audit(services, request, 'absences.view');
    const now = clock.now();
    return {
      items: request.query.upcoming === 'true' ? absences.listUnendedViews(now) : absences.listActive(now),
    };
  });

  route('POST /api/schedules/preview', async (request) => {
    const { cron, timezone } = request.body;
    const problem = cronProblem(cron, timezone);
    if (problem) throw ApiError.of('cron_invalid', { detail: problem }, 'body.cron');
    const times: string[] = [];
    for (let after = clock.now(); times.length < 5;) {
      after = nextAfter(cron, timezone, after);
      times.push(new Date(after).toISOString());
    }
    return { times };
  });

  // Status and history.
  /**
   * Each home's absence now, of one home or of all (a home's absences never overlap): one read for
   * any number of residents, and for one home only that home's.
   */
  const absencesNow = (now: number, homeId?: string) => {
    const active = homeId ? absences.listForHome(homeId, now, false).filter((a) => a.active) : absences.listActive(now);
    return new Map(active.map((a) => [a.homeId, a]));
  };
  const statusOf = (
    resident: Resident,
    residentSchedules: StoredSchedule[],
    absence: Absence | undefined,
    now: number,
  ) => {
    const nextDue = residentSchedules
      .map((s) => checkinService.nextDueAt(s.id))
      .filter((t): t is number => t !== undefined);
    return statusView(
      resident,
      {
        schedules: residentSchedules,
        recent: checkins.recentSummaries(resident.id, RECENT),
        absence: absence && { startsAt: Date.parse(absence.startsAt) },
        absenceView: absence ?? null,
        nextDueAt: nextDue.length > 0 ? Math.min(...nextDue) : undefined,
      },
      now,
    );
  };

  route('GET /api/residents/:id/checkin-status', async (request) => {
    const resident = requireResident(request.params.id);
    audit(services, request, 'checkins.view', { homeId: resident.homeId, subject: resident.id });
    const now = clock.now();
    const absence = absencesNow(now, resident.homeId).get(resident.homeId);
    return statusOf(resident, schedules.listForResident(resident.id), absence, now);
  });

  route('GET /api/checkin-status', async (request) => {
    const home = request.query.homeId ? requireHome(request.query.homeId) : undefined;
    audit(services, request, 'checkins.view', { homeId: request.query.homeId });
    const now = clock.now();
    const absent = absencesNow(now, home?.id);
    // Across all homes, every resident and every schedule in one read each, not one per resident.
    const residents = home ? homes.listResidents(home.id) : homes.listAllResidents();
    const allSchedules = home ? undefined : schedules.listByResident();
    const items = residents.map((r) =>
      statusOf(
        r,
        allSchedules ? (allSchedules.get(r.id) ?? []) : schedules.listForResident(r.id),
        absent.get(r.homeId),
        now,
      ),
    );
    return {
      items: items.sort(
        (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.residentId.localeCompare(b.residentId),
      ),
    };
  });

  route('GET /api/homes/:id/checkins', async (request) => {
    const home = requireHome(request.params.id);
    const from = Date.parse(request.query.from);
    const to = Date.parse(request.query.to);
    if (!(to > from) || to - from > MAX_HISTORY_DAYS * 86_400_000)
      throw ApiError.of('range_invalid', { maxDays: MAX_HISTORY_DAYS }, 'querystring.to');
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
      items: checkins.history(home.id, from, to, request.query.residentId).map((o) => recordView(o, tz(o.scheduleId))),
    };
  });
};

/** Who needs attention first on a staff overview. */
const STATUS_ORDER = { missed: 0, late: 1, pending: 2, absent: 3, paused: 4, up: 5 } as const;

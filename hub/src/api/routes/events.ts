import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { isActivity, POWER_ACTIVITY_WATTS, SENSOR_ACTIVITY_EVENT_TYPES } from '@mimamori/contract';
import { localDate, localMinuteOfDay } from '../../time/local-time.js';
import { ApiError, notFound } from '../errors.js';
import { server } from '../serve.js';
import { audit, type ApiServices } from '../session.js';

/** A history read is bounded so that one request cannot scan years of a home's events. */
const MAX_RANGE_DAYS = 93;

const DAY = 86_400_000;
/** Enough for four weeks of a busy home's sensors (a motion event a minute would be 40,320). */
const ACTIVITY_LIMIT = 100_000;

export const eventRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { homes, timeSeries, clock } = services;
  const route = server(app, services);

  route('GET /api/homes/:id/activity', async (request) => {
    const home =
      homes.get(request.params.id) ??
      (() => {
        throw notFound('home', request.params.id);
      })();
    const now = clock.now();
    // The last `days` local dates, today last; a day of a DST change appears once.
    const dates = [
      ...new Set(Array.from({ length: request.query.days }, (_, i) => localDate(now - i * DAY, home.timezone))),
    ].reverse();
    const byDate = new Map(dates.map((date) => [date, Array.from({ length: 24 }, () => 0)]));
    const events = await timeSeries.query({
      homeId: home.id,
      from: now - (request.query.days + 1) * DAY,
      to: now + 1,
      types: SENSOR_ACTIVITY_EVENT_TYPES,
      limit: ACTIVITY_LIMIT,
    });
    // The same meaning of activity as the rules' and the overview's: a PIR's clearing or a meter's standby is nobody.
    for (const event of events.filter((e) => isActivity(e, { powerWatts: POWER_ACTIVITY_WATTS }))) {
      const hours = byDate.get(localDate(event.ts, home.timezone));
      const hour = Math.floor(localMinuteOfDay(event.ts, home.timezone) / 60);
      if (hours) hours[hour] = (hours[hour] ?? 0) + 1;
    }
    audit(services, request, 'activity.view', { homeId: home.id, detail: { days: request.query.days } });
    return {
      homeId: home.id,
      timezone: home.timezone,
      days: dates.map((date) => ({ date, hours: byDate.get(date) ?? [] })),
    };
  });

  route('GET /api/homes/:id/events', async (request) => {
    const { id } = request.params;
    if (!homes.get(id)) throw notFound('home', id);
    const from = Date.parse(request.query.from);
    const to = Date.parse(request.query.to);
    if (to <= from) throw ApiError.of('range_reversed', {}, 'querystring.to');
    if (to - from > MAX_RANGE_DAYS * 86_400_000)
      throw ApiError.of('range_too_long', { maxDays: MAX_RANGE_DAYS }, 'querystring.to');
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
  });
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  isActivity,
  POWER_ACTIVITY_WATTS,
  SENSOR_ACTIVITY_EVENT_TYPES,
  type Home,
  type HomeOverview,
  type Resident,
  type User,
} from '@mimamori/contract';
import { notFound } from '../errors.js';
import { server } from '../serve.js';
import { audit, currentUser, type ApiServices } from '../session.js';
import { alertAsSeenBy, requireHomeAccess } from '../visibility.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A home as its watchers see it, and the homes a user watches (any logged-in user). */
export const overviewRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { homes, networks, users, alerts, absences, checkins, timeSeries, clock } = services;
  const isStaff = (user: User) => user.role === 'admin' || user.role === 'staff';
  const route = server(app, services);
  const residentView = (r: Resident) => ({ id: r.id, name: r.name, reading: r.reading });
  const residentsOf = (homeId: string) => homes.listResidents(homeId).map(residentView);
  const watchedHome = (home: Home, residents: ReturnType<typeof residentView>[], tiers: Map<string, number[]>) => ({
    id: home.id,
    name: home.name,
    district: home.district,
    residents,
    tiers: tiers.get(home.id) ?? [],
  });

  route('GET /api/watching', async (request) => {
    const user = currentUser(request);
    const tiers = networks.tiersOf(user.id);
    let items;
    if (isStaff(user)) {
      // Every home: their residents in one read, not one read per home.
      const residents = Map.groupBy(homes.listAllResidents(), (r) => r.homeId);
      items = homes.list().map((home) => watchedHome(home, (residents.get(home.id) ?? []).map(residentView), tiers));
    } else {
      items = [...tiers.keys()].flatMap((id) => {
        const home = homes.get(id);
        return home ? [watchedHome(home, residentsOf(id), tiers)] : [];
      });
    }
    // The residents' names are personal data: who read them is recorded, as for every other read.
    audit(services, request, 'homes.watching');
    return { items };
  });

  route('GET /api/homes/:id/overview', async (request): Promise<HomeOverview> => {
    const user = currentUser(request);
    const home =
      homes.get(request.params.id) ??
      (() => {
        throw notFound('home', request.params.id);
      })();
    requireHomeAccess(services, user, home.id);
    audit(services, request, 'home.overview', { homeId: home.id });
    const now = clock.now();
    const health = isStaff(user) || home.consent.health;
    const activity = isStaff(user) || home.consent.activity;
    const medical = isStaff(user) || home.consent.medical;
    const { medicalNotes, ...plan } = home.responsePlan;
    const watchers = (networks.get(home.id)?.tiers ?? []).flatMap((tier, index) =>
      tier.watchers.flatMap((id) => {
        const watcher = users.get(id);
        return watcher
          ? [
              {
                tier: index + 1,
                tierName: tier.name,
                displayName: watcher.displayName,
                affiliation: watcher.affiliation,
              },
            ]
          : [];
      }),
    );
    const events = activity
      ? await timeSeries.query({
          homeId: home.id,
          from: now - 7 * DAY,
          to: now,
          types: SENSOR_ACTIVITY_EVENT_TYPES,
          limit: 50_000,
        })
      : [];
    const perHour = new Map<number, number>();
    // The same meaning of activity as the rules': a PIR's clearing or a meter's standby reading is nobody.
    for (const event of events.filter((e) => isActivity(e, { powerWatts: POWER_ACTIVITY_WATTS }))) {
      const hour = Math.floor(event.ts / HOUR) * HOUR;
      perHour.set(hour, (perHour.get(hour) ?? 0) + 1);
    }
    return {
      home: {
        id: home.id,
        name: home.name,
        address: home.address,
        district: home.district,
        timezone: home.timezone,
        residents: residentsOf(home.id),
      },
      consent: home.consent,
      responsePlan: medical && medicalNotes ? { ...plan, medicalNotes } : plan,
      watchers,
      openAlerts: [
        ...alerts.list({ homeId: home.id, status: 'open', limit: 20 }),
        ...alerts.list({ homeId: home.id, status: 'acknowledged', limit: 20 }),
      ].map((a) => alertAsSeenBy(services, user, a)),
      absences: absences
        .listForHome(home.id, now, false)
        .map((a) => ({ id: a.id, startsAt: a.startsAt, endsAt: a.endsAt, reason: health ? a.reason : null })),
      recentCheckins: health
        ? checkins
            .history(home.id, now - 14 * DAY, now)
            .map((c) => ({ dueAt: new Date(c.dueAt).toISOString(), outcome: c.outcome, answer: c.answer ?? null }))
        : null,
      activityByHour: activity
        ? Array.from({ length: 7 * 24 }, (_, i) => {
            const hour = Math.floor((now - 7 * DAY) / HOUR) * HOUR + (i + 1) * HOUR;
            return { hour: new Date(hour).toISOString(), count: perHour.get(hour) ?? 0 };
          })
        : null,
    };
  });
};

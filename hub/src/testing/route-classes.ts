import type { RouteKey } from '@mimamori/contract';
import { HEALTH_WORDS, type Caller, type HomeCase, type WatchedHomes } from './watched-homes.js';

/**
 * Who may call a route (docs/protocol.md, HTTP), and whether it touches a home:
 * - `public`: no login (health, metrics, login, logout).
 * - `self`: any logged-in user, about themselves (their profile, push subscriptions, the homes
 *   they watch, their filtered live stream).
 * - `staff-only`: staff and admins; no single home's data (rules, users, reports).
 * - `staff-only:home`: staff and admins; a home's registry or settings (devices, schedules,
 *   rule overrides), not personal data.
 * - `staff-only:personal`: staff and admins; reads or changes a home's personal data (its
 *   record, residents, history, absences, network): every call writes an audit row.
 * - `watcher-scoped:personal`: any logged-in user; a watcher only for homes of their network,
 *   and only what the home's consent allows; every call writes an audit row.
 * - `admin-only`: the audit log.
 */
export type RouteClass =
  | 'public'
  | 'self'
  | 'staff-only'
  | 'staff-only:home'
  | 'staff-only:personal'
  | 'watcher-scoped:personal'
  | 'admin-only';

/** One consent-limited field of an answer: `read` gives null or undefined when it is hidden. */
export interface Probe {
  name: string;
  consent: 'health' | 'activity' | 'medical';
  read: (body: unknown) => unknown;
}

/** A call to make: the path with its query, the body, and the home the audit row must name. */
export interface Call {
  path: string;
  body?: unknown;
  homeId?: string;
}

export interface RoutePolicy {
  class: RouteClass;
  /** The call for one kind of home (routes about one home), prepared for the caller when it matters. */
  call?: (homes: WatchedHomes, home: HomeCase, caller: Caller) => Promise<Call>;
  /** The call for routes about no single home (lists across homes, creating one). */
  callOnce?: (homes: WatchedHomes) => Promise<Call>;
  /** Status on success (default 200). */
  status?: number;
  /** The consent-limited fields the answer carries. */
  consent?: Probe[];
}

type Json = Record<string, unknown> & { items?: Record<string, unknown>[] };
const json = (body: unknown) => (body ?? {}) as Json;
const firstSet = (items: Record<string, unknown>[] | undefined, field: string) =>
  items?.map((item) => item[field]).find((v) => v !== null && v !== undefined);
const speaksOfHealth = (body: unknown) => JSON.stringify(body).includes(HEALTH_WORDS) || undefined;

const alertWords: Probe = { name: 'the alert’s health words', consent: 'health', read: speaksOfHealth };
const absenceFields: Probe[] = [
  { name: 'absence reason', consent: 'health', read: (b) => json(b).reason },
  { name: 'absence note', consent: 'health', read: (b) => json(b).note },
];
const absenceListFields: Probe[] = [
  { name: 'absence reasons', consent: 'health', read: (b) => firstSet(json(b).items, 'reason') },
  { name: 'absence notes', consent: 'health', read: (b) => firstSet(json(b).items, 'note') },
];
const overviewFields: Probe[] = [
  { name: 'recentCheckins', consent: 'health', read: (b) => json(b).recentCheckins },
  { name: 'activityByHour', consent: 'activity', read: (b) => json(b).activityByHour },
  {
    name: 'responsePlan.medicalNotes',
    consent: 'medical',
    read: (b) => (json(b).responsePlan as Json | undefined)?.medicalNotes,
  },
  {
    name: 'absences[].reason',
    consent: 'health',
    read: (b) => firstSet(json(b).absences as Json[] | undefined, 'reason'),
  },
  { name: 'openAlerts[].message', consent: 'health', read: (b) => speaksOfHealth(json(b).openAlerts) },
];

const DAY = 86_400_000;
const at = (h: WatchedHomes, offset: number) => new Date(h.now() + offset).toISOString();
const inHome = (h: WatchedHomes, home: HomeCase, path: (id: string) => string, body?: unknown): Call => ({
  path: path(h.homeId(home)),
  body,
  homeId: h.homeId(home),
});
const created = async (h: WatchedHomes, path: string, body: unknown) => {
  const answer = await h.clients.staff('POST', path, body);
  if (answer.status !== 201)
    throw new Error(`set-up POST ${path} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return (answer.body as { id: string }).id;
};
/**
 * A day of its own for each absence a case registers, in the weeks ahead with a day between, so
 * none overlaps another (overlaps are refused) or the absence the home already has.
 */
const slots = new Map<string, number>();
const absenceSlot = (h: WatchedHomes, home: HomeCase) => {
  const n = slots.get(h.homeId(home)) ?? 0;
  slots.set(h.homeId(home), n + 1);
  const start = (7 + 3 * n) * DAY;
  return { startsAt: at(h, start), endsAt: at(h, start + DAY), later: at(h, start + 2 * DAY) };
};
const absence = async (h: WatchedHomes, home: HomeCase) => {
  const { startsAt, endsAt, later } = absenceSlot(h, home);
  const id = await created(h, `/api/homes/${h.homeId(home)}/absences`, {
    reason: 'hospital',
    note: '肺炎で入院',
    startsAt,
    endsAt,
  });
  return { id, later };
};
const device = (h: WatchedHomes, home: HomeCase) =>
  created(h, '/api/devices', { homeId: h.homeId(home), kind: 'motion' });
const schedule = (h: WatchedHomes, home: HomeCase) =>
  created(h, `/api/residents/${h.residentId(home)}/schedules`, { cron: '30 9 * * *' });
const resident = (h: WatchedHomes, home: HomeCase) =>
  created(h, `/api/homes/${h.homeId(home)}/residents`, { name: '佐藤 次郎' });
const RULE = 'checkin.concern';
const reason = 'authorization test';

/**
 * Every route of the contract's table (method and URL as registered) with its class and, when it
 * touches a home, its call; the compiler holds it to the table, the matrix test to what the hub serves.
 */
export const ROUTES: Record<RouteKey, RoutePolicy> = {
  'GET /health': { class: 'public' },
  // Alexa's requests: no login, each verified by its signature (docs/speakers.md, Alexa).
  'POST /alexa': { class: 'public' },
  'GET /metrics': { class: 'public' },
  'POST /api/auth/login': { class: 'public' },
  'POST /api/auth/logout': { class: 'public' },

  'GET /api/me': { class: 'self' },
  'GET /api/push/key': { class: 'self' },
  'POST /api/me/push-subscriptions': { class: 'self' },
  'DELETE /api/me/push-subscriptions': { class: 'self' },
  'GET /api/watching': { class: 'self' },
  // Alerts of the user's homes as consent allows; tested in routes/watcher-views.test.ts.
  'GET /api/stream': { class: 'self' },

  'GET /api/homes': { class: 'staff-only:personal', callOnce: async () => ({ path: '/api/homes' }) },
  'POST /api/homes': {
    class: 'staff-only:personal',
    status: 201,
    callOnce: async () => ({ path: '/api/homes', body: { name: '新しい 宅' } }),
  },
  'GET /api/homes/:id': {
    class: 'staff-only:personal',
    call: async (h, home) => inHome(h, home, (id) => `/api/homes/${id}`),
  },
  'PATCH /api/homes/:id': {
    class: 'staff-only:personal',
    call: async (h, home) => inHome(h, home, (id) => `/api/homes/${id}`, { district: '北部' }),
  },
  'DELETE /api/homes/:id': {
    class: 'staff-only:personal',
    status: 204,
    call: async (h, home) => {
      const id = await h.disposableHome(home);
      return { path: `/api/homes/${id}`, homeId: id };
    },
  },
  'GET /api/homes/:id/residents': {
    class: 'staff-only:personal',
    call: async (h, home) => inHome(h, home, (id) => `/api/homes/${id}/residents`),
  },
  'POST /api/homes/:id/residents': {
    class: 'staff-only:personal',
    status: 201,
    call: async (h, home) => inHome(h, home, (id) => `/api/homes/${id}/residents`, { name: '佐藤 次郎' }),
  },
  'PATCH /api/homes/:id/residents/:residentId': {
    class: 'staff-only:personal',
    call: async (h, home) =>
      inHome(h, home, (id) => `/api/homes/${id}/residents/${h.residentId(home)}`, { missTolerance: 2 }),
  },
  'DELETE /api/homes/:id/residents/:residentId': {
    class: 'staff-only:personal',
    status: 204,
    call: async (h, home) => {
      const residentId = await resident(h, home);
      return inHome(h, home, (id) => `/api/homes/${id}/residents/${residentId}`);
    },
  },
  'GET /api/homes/:id/activity': {
    class: 'staff-only:personal',
    call: async (h, home) => inHome(h, home, (id) => `/api/homes/${id}/activity?days=7`),
  },
  'GET /api/homes/:id/events': {
    class: 'staff-only:personal',
    call: async (h, home) => inHome(h, home, (id) => `/api/homes/${id}/events?from=${at(h, -DAY)}&to=${at(h, DAY)}`),
  },
  'GET /api/homes/:id/checkins': {
    class: 'staff-only:personal',
    call: async (h, home) => inHome(h, home, (id) => `/api/homes/${id}/checkins?from=${at(h, -DAY)}&to=${at(h, DAY)}`),
  },
  'GET /api/residents/:id/checkin-status': {
    class: 'staff-only:personal',
    call: async (h, home) => ({ path: `/api/residents/${h.residentId(home)}/checkin-status`, homeId: h.homeId(home) }),
  },
  'GET /api/checkin-status': {
    class: 'staff-only:personal',
    call: async (h, home) => inHome(h, home, (id) => `/api/checkin-status?homeId=${id}`),
  },
  'GET /api/absences': { class: 'staff-only:personal', callOnce: async () => ({ path: '/api/absences' }) },
  'GET /api/homes/:id/network': {
    class: 'staff-only:personal',
    call: async (h, home) => inHome(h, home, (id) => `/api/homes/${id}/network`),
  },
  'PATCH /api/homes/:id/network': {
    class: 'staff-only:personal',
    call: async (h, home) =>
      inHome(h, home, (id) => `/api/homes/${id}/network`, { ackReminderMinutes: 45, reason: 'authorization test' }),
  },
  'PUT /api/homes/:id/network': {
    class: 'staff-only:personal',
    call: async (h, home) => inHome(h, home, (id) => `/api/homes/${id}/network`, h.networkOf(home)),
  },
  'GET /api/homes/:id/baseline': {
    class: 'staff-only:personal',
    call: async (h, home) => inHome(h, home, (id) => `/api/homes/${id}/baseline`),
  },
  // Replays a home's history into the alerts it would have raised, in their own words.
  'POST /api/rules/:id/backtest': {
    class: 'staff-only:personal',
    call: async (h, home) =>
      inHome(h, home, () => `/api/rules/${RULE}/backtest`, {
        from: at(h, -7 * DAY),
        to: at(h, 60_000),
        homes: [h.homeId(home)],
      }),
  },

  // Who may hear the resident's prompts: issuing a code and unpairing are audited.
  'POST /api/homes/:id/alexa/pairing-codes': {
    class: 'staff-only:personal',
    status: 201,
    call: async (h, home) => inHome(h, home, (id) => `/api/homes/${id}/alexa/pairing-codes`),
  },
  'DELETE /api/homes/:id/alexa/echos/:deviceId': {
    class: 'staff-only:personal',
    status: 204,
    call: async (h, home) => {
      const deviceId = await h.pairEcho(home);
      return inHome(h, home, (id) => `/api/homes/${id}/alexa/echos/${deviceId}`);
    },
  },
  'GET /api/homes/:id/alexa/echos': {
    class: 'staff-only:home',
    call: async (h, home) => inHome(h, home, (id) => `/api/homes/${id}/alexa/echos`),
  },
  'GET /api/devices': {
    class: 'staff-only:home',
    call: async (h, home) => inHome(h, home, (id) => `/api/devices?homeId=${id}`),
  },
  'POST /api/devices': {
    class: 'staff-only:home',
    status: 201,
    call: async (h, home) => ({ path: '/api/devices', body: { homeId: h.homeId(home), kind: 'door' } }),
  },
  'GET /api/devices/:id': {
    class: 'staff-only:home',
    call: async (h, home) => ({ path: `/api/devices/${home}-speaker` }),
  },
  'DELETE /api/devices/:id': {
    class: 'staff-only:home',
    status: 204,
    call: async (h, home) => ({ path: `/api/devices/${await device(h, home)}` }),
  },
  'POST /api/devices/:id/credentials': {
    class: 'staff-only:home',
    status: 201,
    call: async (h, home) => ({ path: `/api/devices/${await device(h, home)}/credentials` }),
  },
  'GET /api/residents/:id/schedules': {
    class: 'staff-only:home',
    call: async (h, home) => ({ path: `/api/residents/${h.residentId(home)}/schedules` }),
  },
  'POST /api/residents/:id/schedules': {
    class: 'staff-only:home',
    status: 201,
    call: async (h, home) => ({ path: `/api/residents/${h.residentId(home)}/schedules`, body: { cron: '0 10 * * *' } }),
  },
  'POST /api/schedules/preview': { class: 'staff-only' },
  'GET /api/schedules/:id': {
    class: 'staff-only:home',
    call: async (h, home) => ({ path: `/api/schedules/${await schedule(h, home)}` }),
  },
  'PATCH /api/schedules/:id': {
    class: 'staff-only:home',
    call: async (h, home) => ({ path: `/api/schedules/${await schedule(h, home)}`, body: { windowMinutes: 61 } }),
  },
  'DELETE /api/schedules/:id': {
    class: 'staff-only:home',
    status: 204,
    call: async (h, home) => ({ path: `/api/schedules/${await schedule(h, home)}` }),
  },
  'PUT /api/rules/:id/overrides/:homeId': {
    class: 'staff-only:home',
    call: async (h, home) => ({
      path: `/api/rules/${RULE}/overrides/${h.homeId(home)}`,
      body: { enabled: true, reason },
    }),
  },
  'DELETE /api/rules/:id/overrides/:homeId': {
    class: 'staff-only:home',
    call: async (h, home) => {
      await h.clients.staff('PUT', `/api/rules/${RULE}/overrides/${h.homeId(home)}`, { enabled: true, reason });
      return { path: `/api/rules/${RULE}/overrides/${h.homeId(home)}?reason=${encodeURIComponent(reason)}` };
    },
  },

  'GET /api/users': { class: 'staff-only' },
  'POST /api/users': { class: 'staff-only' },
  'PATCH /api/users/:id': { class: 'staff-only' },
  'POST /api/users/:id/password-reset': { class: 'staff-only' },
  'GET /api/rule-types': { class: 'staff-only' },
  'GET /api/history-span': { class: 'staff-only' },
  'GET /api/webhooks': { class: 'staff-only' },
  'GET /api/setup-status': { class: 'staff-only' },
  'GET /api/rules': { class: 'staff-only' },
  'POST /api/rules': { class: 'staff-only' },
  'GET /api/rules/:id': { class: 'staff-only' },
  'PATCH /api/rules/:id': { class: 'staff-only' },
  'GET /api/rules/:id/versions': { class: 'staff-only' },
  'POST /api/rules/:id/rollback': { class: 'staff-only' },
  'GET /api/reports/monthly': { class: 'staff-only' },
  'GET /api/reports/monthly.csv': { class: 'staff-only' },

  'GET /api/alerts': {
    class: 'watcher-scoped:personal',
    consent: [alertWords],
    call: async (h, home) => {
      await h.openAlert(home);
      return inHome(h, home, (id) => `/api/alerts?homeId=${id}`);
    },
  },
  'GET /api/alerts/:id': {
    class: 'watcher-scoped:personal',
    consent: [alertWords],
    call: async (h, home) => ({ path: `/api/alerts/${(await h.openAlert(home)).id}`, homeId: h.homeId(home) }),
  },
  'POST /api/alerts/:id/ack': {
    class: 'watcher-scoped:personal',
    consent: [alertWords],
    call: async (h, home) => ({ path: `/api/alerts/${(await h.openAlert(home)).id}/ack`, homeId: h.homeId(home) }),
  },
  // Giving a claim back needs one: the caller says "向かいます" first (refused where they may not).
  'POST /api/alerts/:id/release': {
    class: 'watcher-scoped:personal',
    consent: [alertWords],
    call: async (h, home, caller) => {
      const alert = await h.openAlert(home);
      await h.clients[caller]('POST', `/api/alerts/${alert.id}/ack`);
      return { path: `/api/alerts/${alert.id}/release`, homeId: h.homeId(home) };
    },
  },
  'POST /api/alerts/:id/resolve': {
    class: 'watcher-scoped:personal',
    consent: [alertWords],
    call: async (h, home) => ({
      path: `/api/alerts/${(await h.openAlert(home)).id}/resolve`,
      body: { outcome: 'fine' },
      homeId: h.homeId(home),
    }),
  },
  'GET /api/homes/:id/overview': {
    class: 'watcher-scoped:personal',
    consent: overviewFields,
    call: async (h, home) => {
      await h.openAlert(home);
      return inHome(h, home, (id) => `/api/homes/${id}/overview`);
    },
  },
  'GET /api/homes/:id/absences': {
    class: 'watcher-scoped:personal',
    consent: absenceListFields,
    call: async (h, home) => inHome(h, home, (id) => `/api/homes/${id}/absences`),
  },
  // No consent probes: the answer echoes the reason and note the caller has just entered.
  'POST /api/homes/:id/absences': {
    class: 'watcher-scoped:personal',
    status: 201,
    call: async (h, home) => {
      const { startsAt, endsAt } = absenceSlot(h, home);
      return inHome(h, home, (id) => `/api/homes/${id}/absences`, {
        reason: 'trip',
        note: '温泉旅行',
        startsAt,
        endsAt,
      });
    },
  },
  'PATCH /api/absences/:id': {
    class: 'watcher-scoped:personal',
    consent: absenceFields,
    call: async (h, home) => {
      const { id, later } = await absence(h, home);
      return { path: `/api/absences/${id}`, body: { endsAt: later }, homeId: h.homeId(home) };
    },
  },
  'DELETE /api/absences/:id': {
    class: 'watcher-scoped:personal',
    consent: absenceFields,
    call: async (h, home) => ({ path: `/api/absences/${(await absence(h, home)).id}`, homeId: h.homeId(home) }),
  },

  'GET /api/audit': { class: 'admin-only' },
};

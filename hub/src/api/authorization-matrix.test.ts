import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAmazon } from '../testing/fake-amazon.js';
import { captureRoutes, type RegisteredRoute } from '../testing/route-capture.js';
import { startTestHub } from '../testing/test-hub.js';
import {
  CALLERS,
  HEALTH_WORDS,
  HOME_CASES,
  MEDICAL_NOTE,
  setUpWatchedHomes,
  type Caller,
  type HomeCase,
  type WatchedHomes,
} from '../testing/watched-homes.js';
import { ROUTES as CLASSIFIED, type RouteClass, type RoutePolicy } from '../testing/route-classes.js';

/** The classified routes, looked up by the method and URL the hub registered. */
const ROUTES: Record<string, RoutePolicy | undefined> = CLASSIFIED;

/**
 * Issue 8: who may call what, and what consent hides. The routes come from the running hub
 * (every route Fastify registered), each is classified in ROUTES, and every route that reads or
 * changes a home is called by every caller for every kind of home; the answers must match the
 * policy below exactly, and a personal-data read must leave a row in the audit log.
 */

/** What a caller gets: refused (401, 403), or served whole (`full`) or as consent allows (`limited`). */
type Expected = 401 | 403 | 'full' | 'limited';
const every = (expected: Expected): Record<HomeCase, Expected> => ({
  consented: expected,
  withdrawn: expected,
  outside: expected,
});

/**
 * The policy, from docs/protocol.md (HTTP): routes under /api need staff or admin, except the
 * watcher routes, where a volunteer or family member reaches only the homes whose network lists
 * them (403 for others) and reads what the home's consent allows; nobody logged in gets 401.
 * `limited`: every consent-limited field the route carries (its probes) is null or absent;
 * `full`: every one is there.
 */
const POLICY: Record<'staff-only' | 'watcher-scoped', Record<Caller, Record<HomeCase, Expected>>> = {
  'staff-only': {
    anonymous: every(401),
    volunteer: every(403),
    family: every(403),
    staff: every('full'),
    admin: every('full'),
  },
  'watcher-scoped': {
    anonymous: every(401),
    volunteer: { consented: 'full', withdrawn: 'limited', outside: 403 },
    family: { consented: 'full', withdrawn: 'limited', outside: 403 },
    staff: every('full'),
    admin: every('full'),
  },
};
const policyOf = (routeClass: RouteClass) =>
  routeClass.startsWith('watcher-scoped') ? POLICY['watcher-scoped'] : POLICY['staff-only'];
const inMatrix = (routeClass: RouteClass) => routeClass.endsWith(':home') || routeClass.endsWith(':personal');
const audited = (routeClass: RouteClass) => routeClass.endsWith(':personal');

/**
 * 42 routes about one home × 5 callers × 3 kinds of home, and 3 routes across homes × 5 callers.
 * A change to this number means a route or a policy changed: check the new cases, then update it.
 */
const EXPECTED_CASES = 645;

const key = (route: Pick<RegisteredRoute, 'method' | 'url'>) => `${route.method} ${route.url}`;
/** The Swagger UI and the built dashboard's files: public by design, and not home data. */
const isDocsOrDashboardFile = (route: RegisteredRoute) =>
  route.hidden && !route.url.startsWith('/api') && (route.method === 'GET' || route.method === 'HEAD');

describe('authorization: every route, every caller, every kind of home (issue 8)', () => {
  let ctx: Awaited<ReturnType<typeof startTestHub>>;
  let routes: RegisteredRoute[];
  let homes: WatchedHomes;
  let amazon: FakeAmazon;

  beforeAll(async () => {
    amazon = await FakeAmazon.start({ now: () => ctx.clock.now() });
    ({ started: ctx, routes } = await captureRoutes(() => startTestHub({ amazon: amazon.side })));
    homes = await setUpWatchedHomes(ctx, amazon);
  });

  afterAll(async () => {
    await homes.end();
    await ctx.stop();
    await amazon.stop();
  });

  it('classifies every route the hub serves, so a new route cannot ship without an authorization case', () => {
    const unclassified = routes.filter((route) => !ROUTES[key(route)] && !isDocsOrDashboardFile(route)).map(key);
    expect(
      unclassified,
      `unclassified routes: add each to ROUTES in hub/src/testing/route-classes.ts with its class (public, self, staff-only, staff-only:home, staff-only:personal, watcher-scoped:personal, admin-only) and, when it reads or changes a home, the call that builds its authorization cases`,
    ).toEqual([]);
    const registered = new Set(routes.map(key));
    expect(
      Object.keys(ROUTES).filter((name) => !registered.has(name)),
      'ROUTES names routes the hub no longer serves',
    ).toEqual([]);
    for (const [name, policy] of Object.entries(CLASSIFIED)) {
      expect(
        inMatrix(policy.class) === Boolean(policy.call ?? policy.callOnce),
        `${name}: a route that touches a home needs a call, and only such a route`,
      ).toBe(true);
    }
  });

  it('checks the login before anything else: nobody logged in gets 401, a watcher 403 on staff and admin routes, before the request is even validated', async () => {
    const placeholder = (url: string) => url.replaceAll(/:[A-Za-z]+/g, 'x');
    const refused: string[] = [];
    for (const route of routes) {
      const policy = ROUTES[key(route)];
      if (!policy || policy.class === 'public') continue;
      const anonymous = await homes.clients.anonymous(route.method, placeholder(route.url));
      if (anonymous.status !== 401) refused.push(`${key(route)} anonymous: ${anonymous.status}`);
      if (policy.class.startsWith('staff-only') || policy.class === 'admin-only') {
        const volunteer = await homes.clients.volunteer(route.method, placeholder(route.url));
        if (volunteer.status !== 403) refused.push(`${key(route)} volunteer: ${volunteer.status}`);
      }
      if (policy.class === 'admin-only') {
        const staff = await homes.clients.staff(route.method, placeholder(route.url));
        if (staff.status !== 403) refused.push(`${key(route)} staff: ${staff.status}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it('answers every caller for every kind of home exactly as the policy says, hides what consent withholds, and audits every personal-data read', async () => {
    const admin = homes.clients.admin;
    const latestAudit = async (actor: string) => {
      const rows = (await admin('GET', `/api/audit?actor=${actor}&limit=1`)).body as { items: { id: number }[] };
      return rows.items[0]?.id ?? 0;
    };
    const mismatches: string[] = [];
    let cases = 0;
    for (const route of routes) {
      const policy = ROUTES[key(route)];
      if (!policy || !inMatrix(policy.class)) continue;
      const homeCases: (HomeCase | undefined)[] = policy.call ? [...HOME_CASES] : [undefined];
      for (const caller of CALLERS) {
        for (const home of homeCases) {
          cases += 1;
          const expected = policyOf(policy.class)[caller][home ?? 'consented'];
          const request = home && policy.call ? await policy.call(homes, home, caller) : await policy.callOnce?.(homes);
          if (!request) throw new Error(`${key(route)}: no call`);
          const name = `${key(route)} as ${caller}${home ? ` on the ${home} home` : ''}`;
          const actor = homes.usernames[caller];
          const auditBefore = actor && audited(policy.class) ? await latestAudit(actor) : 0;
          const answer = await homes.clients[caller](route.method, request.path, request.body);
          const status = typeof expected === 'number' ? expected : (policy.status ?? 200);
          if (answer.status !== status) {
            mismatches.push(
              `${name}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 160)}`,
            );
            continue;
          }
          if (typeof expected === 'number') continue;
          for (const probe of policy.consent ?? []) {
            const value = probe.read(answer.body);
            const present = value !== null && value !== undefined;
            if (present !== (expected === 'full'))
              mismatches.push(
                `${name}: ${probe.name} (${probe.consent} consent) should be ${expected === 'full' ? 'shown' : 'hidden'}`,
              );
          }
          if (audited(policy.class)) {
            const rows = (
              (await admin('GET', `/api/audit?actor=${actor}&limit=20`)).body as {
                items: { id: number; homeId: string | null }[];
              }
            ).items;
            const written = rows.filter(
              (row) => row.id > auditBefore && (!request.homeId || row.homeId === request.homeId),
            );
            if (written.length === 0)
              mismatches.push(`${name}: no audit row${request.homeId ? ` for ${request.homeId}` : ''}`);
          }
        }
      }
    }
    console.info(
      `authorization matrix: ${cases} cases over ${routes.filter((r) => inMatrix(ROUTES[key(r)]?.class ?? 'public')).length} routes`,
    );
    expect(mismatches).toEqual([]);
    expect(cases).toBe(EXPECTED_CASES);
  });

  it('lists a watcher the alerts of their network only, in the words consent allows', async () => {
    const seen = (await homes.clients.volunteer('GET', '/api/alerts')).body as {
      items: { homeId: string; message: { ja: string } }[];
    };
    expect(new Set(seen.items.map((a) => a.homeId))).toEqual(
      new Set([homes.homeId('consented'), homes.homeId('withdrawn')]),
    );
    expect(
      seen.items
        .filter((a) => a.message.ja.includes(HEALTH_WORDS))
        .every((a) => a.homeId === homes.homeId('consented')),
    ).toBe(true);
    const overview = JSON.stringify(
      (await homes.clients.family('GET', `/api/homes/${homes.homeId('withdrawn')}/overview`)).body,
    );
    expect(overview).not.toContain(MEDICAL_NOTE);
    expect(overview).not.toContain(HEALTH_WORDS);
  });
});

import { ALERT_ROUTES } from './alerts.js';
import { ALEXA_ROUTES } from './alexa.js';
import { CHECKIN_ROUTES } from './checkins.js';
import { HOME_ROUTES } from './homes.js';
import { PEOPLE_ROUTES } from './people.js';
import { RULE_ROUTES } from './rules.js';
import { SESSION_ROUTES } from './session.js';
import type { RouteSpec } from './spec.js';

export * from './spec.js';

/**
 * Every HTTP route of the hub, keyed `METHOD /path` (issue 17 item 6): who may call it and the
 * zod schemas of its parameters, query, body and answers. The hub serves each route from its
 * entry (hub/src/api/serve.ts) and the OpenAPI document at /docs is generated from it; the
 * dashboard's client (dashboard/src/api.ts) takes its types from it; the authorization matrix
 * (hub/src/testing/route-classes.ts) classifies every key. One table, kept in a file per area.
 */
export const ROUTES = {
  ...SESSION_ROUTES,
  ...HOME_ROUTES,
  ...CHECKIN_ROUTES,
  ...ALERT_ROUTES,
  ...RULE_ROUTES,
  ...PEOPLE_ROUTES,
  ...ALEXA_ROUTES,
} as const satisfies Record<string, RouteSpec>;

export type Routes = typeof ROUTES;
export type RouteKey = keyof Routes;

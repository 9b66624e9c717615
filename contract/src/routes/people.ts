import { z } from 'zod';
import { listOf } from '../api.js';
import { entityId } from '../ids.js';
import { network, networkInput, networkUpdate, passwordReset, userInput, userProfile, userUpdate } from '../network.js';
import { auditEntry, auditQuery, monthlyReport, monthlyReportQuery } from '../reports.js';
import type { RouteSpec } from './spec.js';

const id = z.object({ id: entityId });

/** Users, watch-over networks, reports (staff) and the audit log (admins). */
export const PEOPLE_ROUTES = {
  'GET /api/users': { access: 'staff', tags: ['people'], response: listOf(userProfile), errors: [400, 401, 403] },
  'POST /api/users': {
    access: 'staff',
    tags: ['people'],
    summary: 'Add a user (staff add volunteers and family; admins anyone)',
    body: userInput,
    status: 201,
    response: userProfile,
    errors: [400, 401, 403, 409],
  },
  'PATCH /api/users/:id': {
    access: 'staff',
    tags: ['people'],
    params: id,
    body: userUpdate,
    response: userProfile,
    errors: [400, 401, 403, 404],
  },
  'POST /api/users/:id/password-reset': {
    access: 'staff',
    tags: ['people'],
    summary: 'Make a new password for a user (shown once; their sessions end); staff for watchers, admins for anyone',
    params: id,
    status: 201,
    response: passwordReset,
    errors: [400, 401, 403, 404],
  },
  'GET /api/webhooks': {
    access: 'staff',
    tags: ['people'],
    summary: 'The names of the configured webhooks a network tier may tell (notify.webhooks[].name)',
    response: listOf(z.object({ name: z.string() })),
    errors: [400, 401, 403],
  },
  'GET /api/homes/:id/network': {
    access: 'staff',
    tags: ['people'],
    summary: 'The home’s watch-over network: tiers, timeouts, hours',
    params: id,
    response: network,
    errors: [400, 401, 403, 404],
  },
  'PUT /api/homes/:id/network': {
    access: 'staff',
    tags: ['people'],
    summary: 'Set the home’s network (a reason is required)',
    params: id,
    body: networkInput,
    response: network,
    errors: [400, 401, 403, 404],
  },
  'PATCH /api/homes/:id/network': {
    access: 'staff',
    tags: ['people'],
    summary: 'Change some settings of the home’s network; the others keep their values (a reason is required)',
    params: id,
    body: networkUpdate,
    response: network,
    errors: [400, 401, 403, 404],
  },
  'GET /api/reports/monthly': {
    access: 'staff',
    tags: ['reports'],
    summary: 'Alerts by rule, response times, outcomes, check-in rates and absences for a month',
    query: monthlyReportQuery,
    response: monthlyReport,
    errors: [400, 401, 403],
  },
  'GET /api/reports/monthly.csv': {
    access: 'staff',
    tags: ['reports'],
    summary: 'The same report as CSV (UTF-8 with BOM, one figure per row)',
    query: monthlyReportQuery,
    response: z.string(),
    errors: [400, 401, 403],
  },
  'GET /api/audit': {
    access: 'admin',
    tags: ['audit'],
    summary: 'Audit log, newest first',
    query: auditQuery,
    response: listOf(auditEntry),
    errors: [400, 401, 403],
  },
} as const satisfies Record<string, RouteSpec>;

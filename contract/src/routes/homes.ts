import { z } from 'zod';
import {
  device,
  deviceCredentials,
  deviceInput,
  eventQuery,
  eventRecord,
  home,
  homeInput,
  homeUpdate,
  listOf,
  resident,
  residentInput,
  residentUpdate,
} from '../api.js';
import { entityId } from '../ids.js';
import { homeActivity, homeActivityQuery, homeSetup } from '../overview.js';
import type { RouteSpec } from './spec.js';

const id = z.object({ id: entityId });
const residentOfHome = z.object({ id: entityId, residentId: entityId });
const none = z.null();

/** Homes, residents, devices and their credentials, and a home's events (staff). */
export const HOME_ROUTES = {
  'GET /api/homes': { access: 'staff', tags: ['homes'], response: listOf(home), errors: [400, 401, 403] },
  'POST /api/homes': {
    access: 'staff',
    tags: ['homes'],
    body: homeInput,
    status: 201,
    response: home,
    errors: [400, 401, 403, 409],
  },
  'GET /api/setup-status': {
    access: 'staff',
    tags: ['homes'],
    summary: 'The homes not fully set up, with the steps of the guided set-up each lacks',
    response: listOf(homeSetup),
    errors: [400, 401, 403],
  },
  'GET /api/homes/:id': { access: 'staff', tags: ['homes'], params: id, response: home, errors: [400, 401, 403, 404] },
  'PATCH /api/homes/:id': {
    access: 'staff',
    tags: ['homes'],
    params: id,
    body: homeUpdate,
    response: home,
    errors: [400, 401, 403, 404],
  },
  'DELETE /api/homes/:id': {
    access: 'staff',
    tags: ['homes'],
    summary: 'Delete a home with its residents, devices and alerts',
    params: id,
    status: 204,
    response: none,
    errors: [400, 401, 403, 404],
  },
  'GET /api/homes/:id/residents': {
    access: 'staff',
    tags: ['homes'],
    params: id,
    response: listOf(resident),
    errors: [400, 401, 403, 404],
  },
  'POST /api/homes/:id/residents': {
    access: 'staff',
    tags: ['homes'],
    params: id,
    body: residentInput,
    status: 201,
    response: resident,
    errors: [400, 401, 403, 404, 409],
  },
  'PATCH /api/homes/:id/residents/:residentId': {
    access: 'staff',
    tags: ['homes'],
    params: residentOfHome,
    body: residentUpdate,
    response: resident,
    errors: [400, 401, 403, 404],
  },
  'DELETE /api/homes/:id/residents/:residentId': {
    access: 'staff',
    tags: ['homes'],
    params: residentOfHome,
    status: 204,
    response: none,
    errors: [400, 401, 403, 404],
  },
  'GET /api/devices': {
    access: 'staff',
    tags: ['devices'],
    summary:
      'Devices of one home or all; with attention=true, those offline, low on battery or never heard from, worst first',
    query: z.object({
      homeId: entityId.optional(),
      attention: z.enum(['true', 'false']).default('false'),
    }),
    response: listOf(device),
    errors: [400, 401, 403],
  },
  'POST /api/devices': {
    access: 'staff',
    tags: ['devices'],
    body: deviceInput,
    status: 201,
    response: device,
    errors: [400, 401, 403, 409],
  },
  'GET /api/devices/:id': {
    access: 'staff',
    tags: ['devices'],
    params: id,
    response: device,
    errors: [400, 401, 403, 404],
  },
  'DELETE /api/devices/:id': {
    access: 'staff',
    tags: ['devices'],
    params: id,
    status: 204,
    response: none,
    errors: [400, 401, 403, 404],
  },
  'POST /api/devices/:id/credentials': {
    access: 'staff',
    tags: ['devices'],
    summary:
      'Issue a new MQTT secret for the device (shown once; replaces any earlier secret and closes connections made with it)',
    params: id,
    status: 201,
    response: deviceCredentials,
    errors: [400, 401, 403, 404],
  },
  'GET /api/homes/:id/activity': {
    access: 'staff',
    tags: ['events'],
    summary: 'Activity (motion, door, power events) per local day and hour over the last days',
    params: id,
    query: homeActivityQuery,
    response: homeActivity,
    errors: [400, 401, 403, 404],
  },
  'GET /api/homes/:id/events': {
    access: 'staff',
    tags: ['events'],
    summary: 'Events of a home with from <= ts < to, oldest first',
    params: id,
    query: eventQuery,
    response: listOf(eventRecord),
    errors: [400, 401, 403, 404],
  },
} as const satisfies Record<string, RouteSpec>;

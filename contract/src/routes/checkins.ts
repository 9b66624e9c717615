import { z } from 'zod';
import { listOf } from '../api.js';
import {
  absence,
  absenceListQuery,
  schedulePreview,
  schedulePreviewInput,
  absenceAsSeen,
  absenceInput,
  absenceUpdate,
  checkinHistoryQuery,
  checkinRecord,
  checkinSchedule,
  checkinScheduleInput,
  checkinScheduleUpdate,
  checkinStatus,
} from '../checkins.js';
import { entityId } from '../ids.js';
import type { RouteSpec } from './spec.js';

const id = z.object({ id: entityId });
const none = z.null();

/** Check-in schedules, status and history (staff), and absences (staff and the home's watchers). */
export const CHECKIN_ROUTES = {
  'GET /api/residents/:id/schedules': {
    access: 'staff',
    tags: ['check-ins'],
    params: id,
    response: listOf(checkinSchedule),
    errors: [400, 401, 403, 404],
  },
  'POST /api/residents/:id/schedules': {
    access: 'staff',
    tags: ['check-ins'],
    params: id,
    body: checkinScheduleInput,
    status: 201,
    response: checkinSchedule,
    errors: [400, 401, 403, 404],
  },
  'POST /api/schedules/preview': {
    access: 'staff',
    tags: ['check-ins'],
    summary: 'The next five prompts of a cron expression in a time zone, before the schedule is saved',
    body: schedulePreviewInput,
    response: schedulePreview,
    errors: [400, 401, 403],
  },
  'GET /api/schedules/:id': {
    access: 'staff',
    tags: ['check-ins'],
    params: id,
    response: checkinSchedule,
    errors: [400, 401, 403, 404],
  },
  'PATCH /api/schedules/:id': {
    access: 'staff',
    tags: ['check-ins'],
    params: id,
    body: checkinScheduleUpdate,
    response: checkinSchedule,
    errors: [400, 401, 403, 404],
  },
  'DELETE /api/schedules/:id': {
    access: 'staff',
    tags: ['check-ins'],
    params: id,
    status: 204,
    response: none,
    errors: [400, 401, 403, 404],
  },
  'GET /api/residents/:id/checkin-status': {
    access: 'staff',
    tags: ['check-ins'],
    params: id,
    response: checkinStatus,
    errors: [400, 401, 403, 404],
  },
  'GET /api/checkin-status': {
    access: 'staff',
    tags: ['check-ins'],
    description: 'Check-in status of every resident (or of one home), worst first',
    query: z.object({ homeId: entityId.optional() }),
    response: listOf(checkinStatus),
    errors: [400, 401, 403, 404],
  },
  'GET /api/homes/:id/checkins': {
    access: 'staff',
    tags: ['check-ins'],
    description: 'One row per scheduled check-in due in [from, to), with its outcome',
    params: id,
    query: checkinHistoryQuery,
    response: listOf(checkinRecord),
    errors: [400, 401, 403, 404],
  },
  'GET /api/absences': {
    access: 'staff',
    tags: ['absences'],
    description: 'Every absence active now (and, with upcoming=true, every one yet to start), across all homes',
    query: absenceListQuery,
    response: listOf(absence),
    errors: [400, 401, 403],
  },
  'GET /api/homes/:id/absences': {
    access: 'anyone',
    tags: ['absences'],
    params: id,
    query: z.object({ all: z.enum(['true', 'false']).default('false').describe('Include ended absences') }),
    response: listOf(absenceAsSeen),
    errors: [400, 401, 403, 404],
  },
  'POST /api/homes/:id/absences': {
    access: 'anyone',
    tags: ['absences'],
    params: id,
    body: absenceInput,
    status: 201,
    response: absence,
    errors: [400, 401, 403, 404],
  },
  'PATCH /api/absences/:id': {
    access: 'anyone',
    tags: ['absences'],
    params: id,
    body: absenceUpdate,
    response: absenceAsSeen,
    errors: [400, 401, 403, 404],
  },
  'DELETE /api/absences/:id': {
    access: 'anyone',
    tags: ['absences'],
    description: 'Ends the absence now; monitoring resumes',
    params: id,
    response: absenceAsSeen,
    errors: [400, 401, 403, 404],
  },
} as const satisfies Record<string, RouteSpec>;

import { z } from 'zod';
import { alert, alertDetail, alertQuery, alertResolveInput, listOf } from '../api.js';
import { entityId } from '../ids.js';
import { homeOverview } from '../overview.js';
import type { RouteSpec } from './spec.js';

const id = z.object({ id: entityId });

/** Alerts and a home as its watchers see it (anyone logged in; a watcher reaches the homes of their network). */
export const ALERT_ROUTES = {
  'GET /api/homes/:id/overview': {
    access: 'anyone',
    tags: ['homes'],
    summary: 'What a watcher may see of a home: the emergency minimum, and more as consent allows',
    params: id,
    response: homeOverview,
    errors: [400, 401, 403, 404],
  },
  'GET /api/alerts': {
    access: 'anyone',
    tags: ['alerts'],
    summary: 'Alerts, newest first (a watcher: the homes of their network)',
    query: alertQuery,
    response: listOf(alert),
    errors: [400, 401, 403, 404, 409],
  },
  'GET /api/alerts/:id': {
    access: 'anyone',
    tags: ['alerts'],
    summary: 'An alert with its timeline',
    params: id,
    response: alertDetail,
    errors: [400, 401, 403, 404, 409],
  },
  'POST /api/alerts/:id/ack': {
    access: 'anyone',
    tags: ['alerts'],
    summary: 'Acknowledge: "I am going" (向かいます); escalation stops and the network hears who has it',
    params: id,
    response: alert,
    errors: [400, 401, 403, 404, 409],
  },
  'POST /api/alerts/:id/release': {
    access: 'anyone',
    tags: ['alerts'],
    summary: 'Give a claim back: "I can’t go after all" (行けなくなりました)',
    description:
      'The alert is open again: the next tier is told at once, everyone told so far hears it, and the timeline records it. Only the watcher who said "向かいます" may give it back, or staff for them (the volunteer phoned the office).',
    params: id,
    response: alert,
    errors: [400, 401, 403, 404, 409],
  },
  'POST /api/alerts/:id/resolve': {
    access: 'anyone',
    tags: ['alerts'],
    summary: 'Resolve with an outcome',
    params: id,
    body: alertResolveInput,
    response: alert,
    errors: [400, 401, 403, 404, 409],
  },
} as const satisfies Record<string, RouteSpec>;

import { z } from 'zod';
import { health, listOf, loginInput, me } from '../api.js';
import { pushSubscriptionInput } from '../network.js';
import { watchedHome } from '../overview.js';
import type { RouteSpec } from './spec.js';

const none = z.null();

/** Operations, logging in, and what any logged-in user does for themselves. */
export const SESSION_ROUTES = {
  'GET /health': {
    access: 'public',
    summary: 'Liveness and readiness of broker, stores and notifier',
    response: health,
    alsoAnswers: [503],
    errors: [],
  },
  'GET /metrics': {
    access: 'public',
    summary: 'Prometheus metrics (text exposition format)',
    response: z.string(),
    errors: [],
  },
  'POST /api/auth/login': {
    access: 'public',
    summary: 'Log in; sets the session cookie',
    body: loginInput,
    response: me,
    errors: [400, 401, 429],
  },
  'POST /api/auth/logout': { access: 'public', summary: 'End the session', status: 204, response: none, errors: [] },
  'GET /api/me': { access: 'anyone', summary: 'The logged-in user', response: me, errors: [401] },
  'GET /api/push/key': {
    access: 'anyone',
    tags: ['me'],
    summary: 'The VAPID public key for PushManager.subscribe()',
    response: z.object({ publicKey: z.string() }),
    errors: [400, 401],
  },
  'POST /api/me/push-subscriptions': {
    access: 'anyone',
    tags: ['me'],
    summary: 'Subscribe this browser to alert notifications',
    body: pushSubscriptionInput,
    status: 204,
    response: none,
    errors: [400, 401],
  },
  'DELETE /api/me/push-subscriptions': {
    access: 'anyone',
    tags: ['me'],
    summary: 'Unsubscribe a browser',
    body: z.object({ endpoint: z.url() }),
    status: 204,
    response: none,
    errors: [400, 401],
  },
  'GET /api/watching': {
    access: 'anyone',
    tags: ['me'],
    summary: 'The homes you watch, with your tiers (staff: every home)',
    response: listOf(watchedHome),
    errors: [400, 401, 403, 404],
  },
  'GET /api/stream': {
    access: 'anyone',
    tags: ['me'],
    summary: 'Server-sent events: alert changes of the homes you may see',
    errors: [401],
  },
} as const satisfies Record<string, RouteSpec>;

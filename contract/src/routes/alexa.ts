import { z } from 'zod';
import { alexaEcho, alexaPairingCode } from '../alexa.js';
import { listOf } from '../api.js';
import { entityId } from '../ids.js';
import type { RouteSpec } from './spec.js';

const home = z.object({ id: entityId });

/** The Alexa skill's endpoint, and pairing Echos to a home (docs/speakers.md, Alexa). */
export const ALEXA_ROUTES = {
  // Served by its own plugin (hub/src/speakers/alexa/endpoint.ts), which keeps the body raw to check Alexa's signature.
  'POST /alexa': {
    access: 'public',
    tags: ['alexa'],
    summary:
      'The Alexa skill endpoint: requests signed by Alexa (SignatureCertChainUrl, Signature-256), verified before the skill sees them',
    response: z.looseObject({ version: z.string(), response: z.looseObject({}) }),
    errors: [400],
  },
  'POST /api/homes/:id/alexa/pairing-codes': {
    access: 'staff',
    tags: ['alexa'],
    summary: 'Issue a one-time code that pairs an Echo to this home when said to the Alexa skill',
    params: home,
    status: 201,
    response: alexaPairingCode,
    errors: [400, 401, 403, 404],
  },
  'GET /api/homes/:id/alexa/echos': {
    access: 'staff',
    tags: ['alexa'],
    summary: 'The Echos paired to this home',
    params: home,
    response: listOf(alexaEcho),
    errors: [400, 401, 403, 404],
  },
  'DELETE /api/homes/:id/alexa/echos/:deviceId': {
    access: 'staff',
    tags: ['alexa'],
    summary: 'Unpair an Echo: its device is removed with what waited for it; the skill then asks for a new code',
    params: home.extend({ deviceId: entityId }),
    status: 204,
    response: z.null(),
    errors: [400, 401, 403, 404],
  },
} as const satisfies Record<string, RouteSpec>;

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { alexaEcho, alexaPairingCode, entityId, errorBody, listOf, type AlexaEcho } from '@mimamori/contract';
import { z } from 'zod';
import type { PairedEcho } from '../../store/index.js';
import { notFound } from '../errors.js';
import { audit, currentUser, type ApiServices } from '../session.js';

const homeParams = z.object({ id: entityId });
const echoParams = z.object({ id: entityId, deviceId: entityId });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };

/**
 * Pairing Echos to a home (staff; docs/speakers.md, Alexa): a one-time code for the resident to say to
 * the skill, the home's Echos, and unpairing one. Issuing a code and unpairing decide who hears
 * the resident's prompts, so both are audited.
 */
export const alexaRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { homes, devices, alexaEchos, alexaPairing, clock } = services;
  const homeOf = (id: string) => homes.get(id) ?? notFoundHome(id);

  app.post(
    '/homes/:id/alexa/pairing-codes',
    {
      schema: {
        tags: ['alexa'],
        summary: 'Issue a one-time code that pairs an Echo to this home when said to the Alexa skill',
        params: homeParams,
        response: { 201: alexaPairingCode, ...errors },
      },
    },
    async (request, reply) => {
      const home = homeOf(request.params.id);
      const issued = alexaPairing.issue(home.id, currentUser(request).username);
      audit(services, request, 'alexa.pairing_code', { homeId: home.id });
      reply.header('cache-control', 'no-store');
      return reply
        .status(201)
        .send({ code: issued.code, homeId: home.id, expiresAt: new Date(issued.expiresAt).toISOString() });
    },
  );

  app.get(
    '/homes/:id/alexa/echos',
    {
      schema: {
        tags: ['alexa'],
        summary: 'The Echos paired to this home',
        params: homeParams,
        response: { 200: listOf(alexaEcho), ...errors },
      },
    },
    async (request) => {
      const home = homeOf(request.params.id);
      const now = clock.now();
      const view = (echo: PairedEcho): AlexaEcho => {
        const device = devices.get(echo.deviceId);
        const waiting = alexaEchos.pendingOf(echo.deviceId, now);
        return {
          deviceId: echo.deviceId,
          homeId: echo.homeId,
          pairedAt: new Date(echo.pairedAt).toISOString(),
          online: device?.online ?? false,
          lastSeenAt: device?.lastSeenAt ?? null,
          locale: echo.locale,
          remindersGranted: echo.remindersGranted,
          waiting: {
            prompts: waiting.filter((w) => w.command.type === 'prompt').length,
            announcements: waiting.filter((w) => w.command.type === 'announce').length,
          },
        };
      };
      return { items: alexaEchos.ofHome(home.id).map(view) };
    },
  );

  app.delete(
    '/homes/:id/alexa/echos/:deviceId',
    {
      schema: {
        tags: ['alexa'],
        summary: 'Unpair an Echo: its device is removed with what waited for it; the skill then asks for a new code',
        params: echoParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const echo = alexaEchos.get(request.params.deviceId);
      if (!echo || echo.homeId !== request.params.id) throw notFound('Echo', request.params.deviceId);
      devices.delete(echo.deviceId);
      audit(services, request, 'alexa.unpair', { homeId: echo.homeId, subject: echo.deviceId });
      return reply.status(204).send(null);
    },
  );
};

function notFoundHome(id: string): never {
  throw notFound('home', id);
}

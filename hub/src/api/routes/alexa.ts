import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AlexaEcho } from '@mimamori/contract';
import type { PairedEcho } from '../../store/index.js';
import { notFound } from '../errors.js';
import { server } from '../serve.js';
import { audit, currentUser, type ApiServices } from '../session.js';

/**
 * Pairing Echos to a home (staff; docs/speakers.md, Alexa): a one-time code for the resident to say to
 * the skill, the home's Echos, and unpairing one. Issuing a code and unpairing decide who hears
 * the resident's prompts, so both are audited.
 */
export const alexaRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { homes, devices, alexaEchos, alexaPairing, clock } = services;
  const route = server(app, services);
  const homeOf = (id: string) => homes.get(id) ?? notFoundHome(id);

  route('POST /api/homes/:id/alexa/pairing-codes', async (request, reply) => {
    const home = homeOf(request.params.id);
    const issued = alexaPairing.issue(home.id, currentUser(request).username);
    audit(services, request, 'alexa.pairing_code', { homeId: home.id });
    reply.header('cache-control', 'no-store');
    return reply
      .status(201)
      .send({ code: issued.code, homeId: home.id, expiresAt: new Date(issued.expiresAt).toISOString() });
  });

  route('GET /api/homes/:id/alexa/echos', async (request) => {
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
  });

  route('DELETE /api/homes/:id/alexa/echos/:deviceId', async (request, reply) => {
    const echo = alexaEchos.get(request.params.deviceId);
    if (!echo || echo.homeId !== request.params.id) throw notFound('echo', request.params.deviceId);
    devices.delete(echo.deviceId);
    audit(services, request, 'alexa.unpair', { homeId: echo.homeId, subject: echo.deviceId });
    return reply.status(204).send(null);
  });
};

function notFoundHome(id: string): never {
  throw notFound('home', id);
}

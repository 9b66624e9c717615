import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { device, deviceCredentials, deviceInput, deviceTopic, entityId, errorBody, listOf } from '@mimamori/contract';
import { z } from 'zod';
import { ApiError, notFound } from '../errors.js';
import type { ApiServices } from '../session.js';
import { creating } from './homes.js';

const deviceParams = z.object({ id: entityId });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

/** Device registry and credentials (staff). A secret is returned once; only its hash is stored. */
export const deviceRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { devices, homes, clock, broker }) => {
  app.get(
    '/devices',
    {
      schema: {
        tags: ['devices'],
        querystring: z.object({ homeId: entityId.optional() }),
        response: { 200: listOf(device), ...errors },
      },
    },
    async (request) => ({ items: devices.list(request.query.homeId) }),
  );

  app.post(
    '/devices',
    { schema: { tags: ['devices'], body: deviceInput, response: { 201: device, ...errors } } },
    async (request, reply) => {
      if (!homes.get(request.body.homeId))
        throw new ApiError('bad_request', `body.homeId: home ${request.body.homeId} does not exist`);
      return reply.status(201).send(creating(() => devices.create(request.body, clock.now())));
    },
  );

  app.get(
    '/devices/:id',
    { schema: { tags: ['devices'], params: deviceParams, response: { 200: device, ...errors } } },
    async (request) =>
      devices.get(request.params.id) ??
      (() => {
        throw notFound('device', request.params.id);
      })(),
  );

  app.delete(
    '/devices/:id',
    { schema: { tags: ['devices'], params: deviceParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      if (!devices.delete(request.params.id)) throw notFound('device', request.params.id);
      broker.disconnectDevice(request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/devices/:id/credentials',
    {
      schema: {
        tags: ['devices'],
        summary:
          'Issue a new MQTT secret for the device (shown once; replaces any earlier secret and closes connections made with it)',
        params: deviceParams,
        response: { 201: deviceCredentials, ...errors },
      },
    },
    async (request, reply) => {
      const found = devices.get(request.params.id);
      const secret = found && devices.issueSecret(found.id, clock.now());
      if (!found || !secret) throw notFound('device', request.params.id);
      broker.disconnectDevice(found.id);
      reply.header('cache-control', 'no-store');
      return reply.status(201).send({
        deviceId: found.id,
        username: found.id,
        password: secret,
        topicPrefix: deviceTopic(found.homeId, found.id, 'event').replace(/\/event$/, ''),
      });
    },
  );
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { deviceTopic } from '@mimamori/contract';
import { ApiError, notFound } from '../errors.js';
import { server } from '../serve.js';
import type { ApiServices } from '../session.js';
import { creating } from './homes.js';

/** Device registry and credentials (staff). A secret is returned once; only its hash is stored. */
export const deviceRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { devices, homes, clock, broker } = services;
  const route = server(app, services);

  route('GET /api/devices', async (request) => ({ items: devices.list(request.query.homeId) }));

  route('POST /api/devices', async (request, reply) => {
    if (!homes.get(request.body.homeId)) throw ApiError.of('home_missing', { id: request.body.homeId }, 'body.homeId');
    const created = creating(
      () => devices.create(request.body, clock.now()),
      (error) => (error.what === 'id' ? 'body.id' : 'body.z2mName'),
    );
    return reply.status(201).send(created);
  });

  route(
    'GET /api/devices/:id',
    async (request) =>
      devices.get(request.params.id) ??
      (() => {
        throw notFound('device', request.params.id);
      })(),
  );

  route('DELETE /api/devices/:id', async (request, reply) => {
    if (!devices.delete(request.params.id)) throw notFound('device', request.params.id);
    broker.disconnectDevice(request.params.id);
    return reply.status(204).send(null);
  });

  route('POST /api/devices/:id/credentials', async (request, reply) => {
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
  });
};

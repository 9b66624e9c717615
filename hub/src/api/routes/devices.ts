import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { deviceTopic, ruleParams } from '@mimamori/contract';
import { ApiError, notFound } from '../errors.js';
import { server } from '../serve.js';
import type { ApiServices } from '../session.js';
import { creating } from './homes.js';

/** Device registry and credentials (staff). A secret is returned once; only its hash is stored. */
export const deviceRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { devices, homes, clock, broker, ruleAdmin } = services;
  const route = server(app, services);
  /** Low as the battery rule judges it, so the list and the alerts agree. */
  const lowBatteryPct = () => {
    const rule = ruleAdmin.list().find((r) => r.type === 'device.battery');
    return ruleParams['device.battery'].parse(rule?.params ?? {}).pct;
  };

  route('GET /api/devices', async (request) => {
    const { homeId, attention } = request.query;
    if (attention === 'false') return { items: devices.list(homeId) };
    const items = devices.needingAttention(lowBatteryPct());
    return { items: homeId === undefined ? items : items.filter((d) => d.homeId === homeId) };
  });

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
    await broker.disconnectDevice(request.params.id);
    return reply.status(204).send(null);
  });

  route('POST /api/devices/:id/credentials', async (request, reply) => {
    const found = devices.get(request.params.id);
    const secret = found && devices.issueSecret(found.id, clock.now());
    if (!found || !secret) throw notFound('device', request.params.id);
    await broker.disconnectDevice(found.id);
    reply.header('cache-control', 'no-store');
    const topic = (channel: 'event' | 'status' | 'command') => deviceTopic(found.homeId, found.id, channel);
    return reply.status(201).send({
      deviceId: found.id,
      username: found.id,
      password: secret,
      topicPrefix: topic('event').replace(/\/event$/, ''),
      mqttUrl: services.mqttUrlFor(request.hostname),
      topics: { event: topic('event'), status: topic('status'), command: topic('command') },
      issuedAt: new Date(clock.now()).toISOString(),
    });
  });
};

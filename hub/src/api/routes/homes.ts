import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  entityId,
  errorBody,
  home,
  homeInput,
  homeUpdate,
  listOf,
  resident,
  residentInput,
  residentUpdate,
} from '@mimamori/contract';
import { z } from 'zod';
import { IdTakenError } from '../../store/index.js';
import { ApiError, notFound } from '../errors.js';
import { audit, type ApiServices } from '../session.js';

const homeParams = z.object({ id: entityId });
const residentParams = z.object({ id: entityId, residentId: entityId });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

export function creating<T>(create: () => T): T {
  try {
    return create();
  } catch (error) {
    if (error instanceof IdTakenError) throw new ApiError('conflict', error.message);
    throw error;
  }
}

/** Homes and residents (staff). */
export const homeRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { homes, clock } = services;
  const requireHome = (id: string) =>
    homes.get(id) ??
    (() => {
      throw notFound('home', id);
    })();

  app.get('/homes', { schema: { tags: ['homes'], response: { 200: listOf(home), ...errors } } }, async (request) => {
    audit(services, request, 'homes.list');
    return { items: homes.list() };
  });

  app.post(
    '/homes',
    { schema: { tags: ['homes'], body: homeInput, response: { 201: home, ...errors } } },
    async (request, reply) => {
      const created = creating(() => homes.create(request.body, clock.now()));
      services.broker.homeAdded(created.id);
      audit(services, request, 'home.create', { homeId: created.id });
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/homes/:id',
    { schema: { tags: ['homes'], params: homeParams, response: { 200: home, ...errors } } },
    async (request) => {
      const found = requireHome(request.params.id);
      audit(services, request, 'home.view', { homeId: found.id });
      return found;
    },
  );

  app.patch(
    '/homes/:id',
    { schema: { tags: ['homes'], params: homeParams, body: homeUpdate, response: { 200: home, ...errors } } },
    async (request) => {
      const updated = homes.update(request.params.id, request.body, clock.now()) ?? requireHome(request.params.id);
      // Consent and the response plan are what the audit log is most asked about.
      audit(services, request, 'home.update', {
        homeId: updated.id,
        detail: { fields: Object.keys(request.body), ...(request.body.consent && { consent: request.body.consent }) },
      });
      return updated;
    },
  );

  app.delete(
    '/homes/:id',
    {
      schema: {
        tags: ['homes'],
        summary: 'Delete a home with its residents, devices and alerts',
        params: homeParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      if (!homes.delete(request.params.id)) throw notFound('home', request.params.id);
      services.broker.homeRemoved(request.params.id);
      audit(services, request, 'home.delete', { homeId: request.params.id });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/homes/:id/residents',
    { schema: { tags: ['homes'], params: homeParams, response: { 200: listOf(resident), ...errors } } },
    async (request) => {
      requireHome(request.params.id);
      audit(services, request, 'residents.view', { homeId: request.params.id });
      return { items: homes.listResidents(request.params.id) };
    },
  );

  app.post(
    '/homes/:id/residents',
    { schema: { tags: ['homes'], params: homeParams, body: residentInput, response: { 201: resident, ...errors } } },
    async (request, reply) => {
      requireHome(request.params.id);
      const created = creating(() => homes.addResident(request.params.id, request.body, clock.now()));
      audit(services, request, 'resident.create', { homeId: created.homeId, subject: created.id });
      return reply.status(201).send(created);
    },
  );

  const requireResident = (homeId: string, residentId: string) => {
    const found = homes.getResident(residentId);
    if (!found || found.homeId !== homeId) throw notFound('resident', residentId);
    return found;
  };

  app.patch(
    '/homes/:id/residents/:residentId',
    {
      schema: { tags: ['homes'], params: residentParams, body: residentUpdate, response: { 200: resident, ...errors } },
    },
    async (request) => {
      requireResident(request.params.id, request.params.residentId);
      audit(services, request, 'resident.update', {
        homeId: request.params.id,
        subject: request.params.residentId,
        detail: { fields: Object.keys(request.body) },
      });
      return (
        homes.updateResident(request.params.residentId, request.body) ??
        requireResident(request.params.id, request.params.residentId)
      );
    },
  );

  app.delete(
    '/homes/:id/residents/:residentId',
    { schema: { tags: ['homes'], params: residentParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      requireResident(request.params.id, request.params.residentId);
      homes.deleteResident(request.params.residentId);
      audit(services, request, 'resident.delete', { homeId: request.params.id, subject: request.params.residentId });
      return reply.status(204).send(null);
    },
  );
};

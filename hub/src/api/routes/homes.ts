import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdTakenError } from '../../store/index.js';
import { ApiError, notFound } from '../errors.js';
import { server } from '../serve.js';
import { audit, type ApiServices } from '../session.js';

/** Runs a create, answering a taken id (or another unique name) with 409 and the field it came from. */
export function creating<T>(create: () => T, fieldOf: (error: IdTakenError) => string = () => 'body.id'): T {
  try {
    return create();
  } catch (error) {
    if (error instanceof IdTakenError)
      throw ApiError.of('id_taken', { id: error.id, what: error.what }, fieldOf(error));
    throw error;
  }
}

/** Homes and residents (staff). */
export const homeRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { homes, clock } = services;
  const route = server(app, services);
  const requireHome = (id: string) =>
    homes.get(id) ??
    (() => {
      throw notFound('home', id);
    })();

  route('GET /api/homes', async (request) => {
    audit(services, request, 'homes.list');
    return { items: homes.list() };
  });

  route('POST /api/homes', async (request, reply) => {
    const created = creating(() => homes.create(request.body, clock.now()));
    services.broker.homeAdded(created.id);
    audit(services, request, 'home.create', { homeId: created.id });
    return reply.status(201).send(created);
  });

  route('GET /api/homes/:id', async (request) => {
    const found = requireHome(request.params.id);
    audit(services, request, 'home.view', { homeId: found.id });
    return found;
  });

  route('PATCH /api/homes/:id', async (request) => {
    const updated = homes.update(request.params.id, request.body, clock.now()) ?? requireHome(request.params.id);
    // Consent and the response plan are what the audit log is most asked about.
    audit(services, request, 'home.update', {
      homeId: updated.id,
      detail: { fields: Object.keys(request.body), ...(request.body.consent && { consent: request.body.consent }) },
    });
    return updated;
  });

  route('DELETE /api/homes/:id', async (request, reply) => {
    if (!homes.delete(request.params.id)) throw notFound('home', request.params.id);
    services.broker.homeRemoved(request.params.id);
    audit(services, request, 'home.delete', { homeId: request.params.id });
    return reply.status(204).send(null);
  });

  route('GET /api/homes/:id/residents', async (request) => {
    requireHome(request.params.id);
    audit(services, request, 'residents.view', { homeId: request.params.id });
    return { items: homes.listResidents(request.params.id) };
  });

  route('POST /api/homes/:id/residents', async (request, reply) => {
    requireHome(request.params.id);
    const created = creating(() => homes.addResident(request.params.id, request.body, clock.now()));
    audit(services, request, 'resident.create', { homeId: created.homeId, subject: created.id });
    return reply.status(201).send(created);
  });

  const requireResident = (homeId: string, residentId: string) => {
    const found = homes.getResident(residentId);
    if (!found || found.homeId !== homeId) throw notFound('resident', residentId);
    return found;
  };

  route('PATCH /api/homes/:id/residents/:residentId', async (request) => {
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
  });

  route('DELETE /api/homes/:id/residents/:residentId', async (request, reply) => {
    requireResident(request.params.id, request.params.residentId);
    homes.deleteResident(request.params.residentId);
    audit(services, request, 'resident.delete', { homeId: request.params.id, subject: request.params.residentId });
    return reply.status(204).send(null);
  });
};

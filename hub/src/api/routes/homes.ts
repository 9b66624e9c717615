import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { missingSetup } from '@mimamori/contract';
import { IdTakenError } from '../../store/index.js';
import { ApiError, notFound } from '../errors.js';
import { server } from '../serve.js';
import { audit, currentUser, type ApiServices } from '../session.js';

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

  /**
   * Who recorded a consent is whoever sends it with its date: the field is the hub's, not the
   * caller's, and a home created without a consent record has nobody's name on it.
   */
  const recordedBy = <C extends { consent?: { recordedAt?: string | undefined } | undefined }>(
    request: FastifyRequest,
    body: C,
  ): C => {
    const { consent } = body;
    if (!consent) return body;
    const unsigned = Object.fromEntries(Object.entries(consent).filter(([key]) => key !== 'recordedBy'));
    return {
      ...body,
      consent: consent.recordedAt ? { ...unsigned, recordedBy: currentUser(request).username } : unsigned,
    };
  };

  route('POST /api/homes', async (request, reply) => {
    const created = creating(() => homes.create(recordedBy(request, request.body), clock.now()));
    services.broker.homeAdded(created.id);
    audit(services, request, 'home.create', { homeId: created.id });
    return reply.status(201).send(created);
  });

  route('GET /api/setup-status', async () => ({
    items: homes.list().flatMap((home) => {
      const residents = homes.listResidents(home.id);
      const missing = missingSetup({
        residents: residents.length,
        residentsWithoutSchedule: residents.filter((r) => services.schedules.listForResident(r.id).length === 0).length,
        consentRecorded: home.consent.recordedAt !== undefined,
        plan: home.responsePlan,
        devicesWithCredentials: services.devices.list(home.id).filter((d) => d.hasCredentials).length,
        network: services.networks.get(home.id) !== undefined,
      });
      return missing.length > 0 ? [{ homeId: home.id, name: home.name, missing }] : [];
    }),
  }));

  route('GET /api/homes/:id', async (request) => {
    const found = requireHome(request.params.id);
    audit(services, request, 'home.view', { homeId: found.id });
    return found;
  });

  route('PATCH /api/homes/:id', async (request) => {
    const updated =
      homes.update(request.params.id, recordedBy(request, request.body), clock.now()) ?? requireHome(request.params.id);
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

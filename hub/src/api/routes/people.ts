import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  entityId,
  errorBody,
  listOf,
  network,
  networkInput,
  userInput,
  userProfile,
  userUpdate,
} from '@mimamori/contract';
import { z } from 'zod';
import { hashPassword, passwordProblem } from '../../auth/index.js';
import { ApiError, notFound } from '../errors.js';
import { audit, currentUser, type ApiServices } from '../session.js';
import { creating } from './homes.js';

const idParams = z.object({ id: entityId });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

/** Users (watchers and staff) and each home's watch-over network (staff). */
export const peopleRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { users, homes, networks, clock } = services;
  /** Staff manage watchers; only an admin makes or changes staff and admins. */
  const mayManage = (actorRole: string, targetRole: string) =>
    actorRole === 'admin' || (targetRole !== 'admin' && targetRole !== 'staff');

  app.get('/users', { schema: { tags: ['people'], response: { 200: listOf(userProfile), ...errors } } }, async () => ({
    items: users.list(),
  }));

  app.post(
    '/users',
    {
      schema: {
        tags: ['people'],
        summary: 'Add a user (staff add volunteers and family; admins anyone)',
        body: userInput,
        response: { 201: userProfile, ...errors },
      },
    },
    async (request, reply) => {
      const { password, ...profile } = request.body;
      if (!mayManage(currentUser(request).role, profile.role))
        throw new ApiError('forbidden', `only an admin can add a ${profile.role} user`);
      const problem = passwordProblem(password, profile.username);
      if (problem) throw new ApiError('bad_request', `body.password: ${problem}`);
      const passwordHash = await hashPassword(password);
      if (users.byUsername(profile.username)) throw new ApiError('conflict', `username ${profile.username} is taken`);
      const created = creating(() => users.create({ ...profile, passwordHash }, clock.now()));
      audit(services, request, 'user.create', {
        subject: created.id,
        detail: { username: created.username, role: created.role },
      });
      return reply.status(201).send(created);
    },
  );

  app.patch(
    '/users/:id',
    { schema: { tags: ['people'], params: idParams, body: userUpdate, response: { 200: userProfile, ...errors } } },
    async (request) => {
      const target =
        users.get(request.params.id) ??
        (() => {
          throw notFound('user', request.params.id);
        })();
      if (!mayManage(currentUser(request).role, target.role))
        throw new ApiError('forbidden', `only an admin can change a ${target.role} user`);
      const { password, ...change } = request.body;
      const problem = password === undefined ? undefined : passwordProblem(password, target.username);
      if (problem) throw new ApiError('bad_request', `body.password: ${problem}`);
      const updated = users.update(target.id, {
        ...change,
        ...(password && { passwordHash: await hashPassword(password) }),
      });
      // A new password (or a deactivation) ends the sessions opened with the old one.
      if (password !== undefined || change.active === false) users.deleteSessionsOf(target.id);
      audit(services, request, 'user.update', {
        subject: target.id,
        detail: {
          fields: Object.keys(request.body)
            .filter((k) => k !== 'password')
            .concat(password ? ['password'] : []),
        },
      });
      return updated;
    },
  );

  const requireHome = (id: string) =>
    homes.get(id) ??
    (() => {
      throw notFound('home', id);
    })();

  app.get(
    '/homes/:id/network',
    {
      schema: {
        tags: ['people'],
        summary: 'The home’s watch-over network: tiers, timeouts, hours',
        params: idParams,
        response: { 200: network, ...errors },
      },
    },
    async (request) => {
      requireHome(request.params.id);
      const found =
        networks.get(request.params.id) ??
        (() => {
          throw notFound('network of home', request.params.id);
        })();
      audit(services, request, 'network.view', { homeId: request.params.id });
      return found;
    },
  );

  app.put(
    '/homes/:id/network',
    {
      schema: {
        tags: ['people'],
        summary: 'Set the home’s network (a reason is required)',
        params: idParams,
        body: networkInput,
        response: { 200: network, ...errors },
      },
    },
    async (request) => {
      requireHome(request.params.id);
      const { reason, ...config } = request.body;
      const unknown = config.tiers.flatMap((tier) => tier.watchers).filter((id) => !users.get(id));
      if (unknown.length > 0) {
        throw new ApiError('bad_request', `body.tiers: no such user: ${unknown.join(', ')}`, [
          { field: 'body.tiers', message: `no such user: ${unknown.join(', ')}` },
        ]);
      }
      const names = new Set(services.webhookNames);
      const hooks = config.tiers.flatMap((tier) => tier.webhooks).filter((name) => !names.has(name));
      if (hooks.length > 0) {
        throw new ApiError('bad_request', `body.tiers: no webhook is configured with the name ${hooks.join(', ')}`, [
          { field: 'body.tiers', message: `unknown webhook ${hooks.join(', ')}` },
        ]);
      }
      const saved = networks.put(request.params.id, config, currentUser(request).username, clock.now());
      audit(services, request, 'network.update', {
        homeId: request.params.id,
        detail: { reason, tiers: config.tiers.length },
      });
      return saved;
    },
  );
};

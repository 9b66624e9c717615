import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hashPassword, passwordRefusal } from '../../auth/index.js';
import { ApiError, notFound } from '../errors.js';
import { server } from '../serve.js';
import { audit, currentUser, type ApiServices } from '../session.js';
import { creating } from './homes.js';

/** Users (watchers and staff) and each home's watch-over network (staff). */
export const peopleRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { users, homes, networks, clock } = services;
  const route = server(app, services);
  /** Staff manage watchers; only an admin makes or changes staff and admins. */
  const mayManage = (actorRole: string, targetRole: string) =>
    actorRole === 'admin' || (targetRole !== 'admin' && targetRole !== 'staff');
  const checkPassword = (password: string, username: string) => {
    const refusal = passwordRefusal(password, username);
    if (refusal) throw ApiError.of(refusal.problem, refusal.params, 'body.password');
  };

  route('GET /api/users', async () => ({ items: users.list() }));

  route('POST /api/users', async (request, reply) => {
    const { password, ...profile } = request.body;
    if (!mayManage(currentUser(request).role, profile.role))
      throw ApiError.of('role_not_manageable', { role: profile.role, action: 'add' });
    checkPassword(password, profile.username);
    const passwordHash = await hashPassword(password);
    if (users.byUsername(profile.username))
      throw ApiError.of('username_taken', { username: profile.username }, 'body.username');
    const created = creating(() => users.create({ ...profile, passwordHash }, clock.now()));
    audit(services, request, 'user.create', {
      subject: created.id,
      detail: { username: created.username, role: created.role },
    });
    return reply.status(201).send(created);
  });

  route('PATCH /api/users/:id', async (request) => {
    const target =
      users.get(request.params.id) ??
      (() => {
        throw notFound('user', request.params.id);
      })();
    if (!mayManage(currentUser(request).role, target.role))
      throw ApiError.of('role_not_manageable', { role: target.role, action: 'change' });
    const { password, ...change } = request.body;
    if (password !== undefined) checkPassword(password, target.username);
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
  });

  const requireHome = (id: string) =>
    homes.get(id) ??
    (() => {
      throw notFound('home', id);
    })();

  route('GET /api/homes/:id/network', async (request) => {
    requireHome(request.params.id);
    const found =
      networks.get(request.params.id) ??
      (() => {
        throw notFound('network', request.params.id);
      })();
    audit(services, request, 'network.view', { homeId: request.params.id });
    return found;
  });

  route('PUT /api/homes/:id/network', async (request) => {
    requireHome(request.params.id);
    const { reason, ...config } = request.body;
    const unknown = config.tiers.flatMap((tier) => tier.watchers).filter((id) => !users.get(id));
    if (unknown.length > 0) throw ApiError.of('users_missing', { ids: unknown }, 'body.tiers');
    const names = new Set(services.webhookNames);
    const hooks = config.tiers.flatMap((tier) => tier.webhooks).filter((name) => !names.has(name));
    if (hooks.length > 0) throw ApiError.of('webhooks_missing', { names: hooks }, 'body.tiers');
    const saved = networks.put(request.params.id, config, currentUser(request).username, clock.now());
    audit(services, request, 'network.update', {
      homeId: request.params.id,
      detail: { reason, tiers: config.tiers.length },
    });
    return saved;
  });
};

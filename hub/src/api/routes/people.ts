import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { randomInt } from 'node:crypto';
import { networkInput, type NetworkInput, type UserProfile } from '@mimamori/contract';
import { hashPassword, passwordRefusal } from '../../auth/index.js';
import { ApiError, fieldErrors, notFound } from '../errors.js';
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

  /** The user a caller may change: staff change watchers, admins anyone. */
  const manageable = (request: FastifyRequest, id: string): UserProfile => {
    const target =
      users.get(id) ??
      (() => {
        throw notFound('user', id);
      })();
    if (!mayManage(currentUser(request).role, target.role))
      throw ApiError.of('role_not_manageable', { role: target.role, action: 'change' });
    return target;
  };

  route('PATCH /api/users/:id', async (request) => {
    const target = manageable(request, request.params.id);
    const { password, ...change } = request.body;
    // Nobody locks themselves out: another admin or staff member deactivates them.
    if (change.active === false && target.id === currentUser(request).id) throw ApiError.of('not_yourself', {});
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

  route('POST /api/users/:id/password-reset', async (request, reply) => {
    const target = manageable(request, request.params.id);
    const password = readablePassword();
    users.update(target.id, { passwordHash: await hashPassword(password) });
    users.deleteSessionsOf(target.id);
    audit(services, request, 'user.password_reset', { subject: target.id });
    reply.header('cache-control', 'no-store');
    return reply.status(201).send({ password });
  });

  route('GET /api/webhooks', async () => ({ items: services.webhookNames.map((name) => ({ name })) }));

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

  /** Stores a network after checking that its watchers and webhooks exist; the reason goes to the audit log. */
  const saveNetwork = (request: FastifyRequest, homeId: string, input: NetworkInput, fields: string[]) => {
    const { reason, ...config } = input;
    const unknown = config.tiers.flatMap((tier) => tier.watchers).filter((id) => !users.get(id));
    if (unknown.length > 0) throw ApiError.of('users_missing', { ids: unknown }, 'body.tiers');
    const names = new Set(services.webhookNames);
    const hooks = config.tiers.flatMap((tier) => tier.webhooks).filter((name) => !names.has(name));
    if (hooks.length > 0) throw ApiError.of('webhooks_missing', { names: hooks }, 'body.tiers');
    const saved = networks.put(homeId, config, currentUser(request).username, clock.now());
    audit(services, request, 'network.update', { homeId, detail: { reason, tiers: config.tiers.length, fields } });
    return saved;
  };

  route('PUT /api/homes/:id/network', async (request) => {
    requireHome(request.params.id);
    return saveNetwork(request, request.params.id, request.body, Object.keys(request.body));
  });

  route('PATCH /api/homes/:id/network', async (request) => {
    requireHome(request.params.id);
    const current = networks.get(request.params.id);
    const stored = current && {
      tiers: current.tiers,
      criticalStartTier: current.criticalStartTier,
      criticalTiersAtOnce: current.criticalTiersAtOnce,
      ackReminderMinutes: current.ackReminderMinutes,
      announceOnAck: current.announceOnAck,
    };
    const merged = networkInput.safeParse({ ...stored, ...request.body });
    if (!merged.success) throw ApiError.invalid(fieldErrors('body', merged.error.issues));
    return saveNetwork(request, request.params.id, merged.data, Object.keys(request.body));
  });
};

/** Letters and digits a person reads out without mistakes (no 0/o, 1/l/i). */
const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A new password to read out over the phone: three groups of four (about 59 bits), e.g. xk7m-4pqa-9trc. */
function readablePassword(): string {
  const group = () => Array.from({ length: 4 }, () => READABLE[randomInt(READABLE.length)]).join('');
  return [group(), group(), group()].join('-');
}

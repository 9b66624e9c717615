import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { server } from '../serve.js';
import { currentUser, type ApiServices } from '../session.js';

/** What any logged-in user does for themselves: let this phone receive Web Push. */
export const meRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const route = server(app, services);

  route('GET /api/push/key', async () => ({ publicKey: services.vapidPublicKey }));

  route('POST /api/me/push-subscriptions', async (request, reply) => {
    services.users.addPushSubscription(currentUser(request).id, request.body, services.clock.now());
    return reply.status(204).send(null);
  });

  route('DELETE /api/me/push-subscriptions', async (request, reply) => {
    services.users.removePushSubscription(request.body.endpoint, currentUser(request).id);
    return reply.status(204).send(null);
  });
};

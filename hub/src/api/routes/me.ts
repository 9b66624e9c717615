import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBody, pushSubscriptionInput } from '@mimamori/contract';
import { z } from 'zod';
import { currentUser, type ApiServices } from '../session.js';

const errors = { 400: errorBody, 401: errorBody };

/** What any logged-in user does for themselves: let this phone receive Web Push. */
export const meRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  app.get(
    '/push/key',
    {
      schema: {
        tags: ['me'],
        summary: 'The VAPID public key for PushManager.subscribe()',
        response: { 200: z.object({ publicKey: z.string() }), ...errors },
      },
    },
    async () => ({ publicKey: services.vapidPublicKey }),
  );

  app.post(
    '/me/push-subscriptions',
    {
      schema: {
        tags: ['me'],
        summary: 'Subscribe this browser to alert notifications',
        body: pushSubscriptionInput,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      services.users.addPushSubscription(currentUser(request).id, request.body, services.clock.now());
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/me/push-subscriptions',
    {
      schema: {
        tags: ['me'],
        summary: 'Unsubscribe a browser',
        body: z.object({ endpoint: z.url() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      services.users.removePushSubscription(request.body.endpoint, currentUser(request).id);
      return reply.status(204).send(null);
    },
  );
};

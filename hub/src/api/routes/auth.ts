import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomBytes } from 'node:crypto';
import { errorBody, loginInput, me } from '@mimamori/contract';
import { z } from 'zod';
import { LoginThrottle, verifyPassword } from '../../auth/index.js';
import { ApiError } from '../errors.js';
import { SESSION_TTL_MS, currentUser, requireRole, sessionCookieName, type ApiServices } from '../session.js';

/** Cookie-session login. The cookie is HttpOnly and SameSite=Strict: scripts cannot read it, other sites cannot send it. */
export const authRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict', secure: services.secureCookies } as const;
  const cookie = sessionCookieName(services.secureCookies);

  const throttle = new LoginThrottle(() => services.clock.now(), services.loginLimits);

  app.post(
    '/auth/login',
    {
      schema: {
        summary: 'Log in; sets the session cookie',
        body: loginInput,
        response: { 200: me, 401: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const wait = throttle.retryAfterSeconds(username, request.ip);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new ApiError('too_many_requests', `too many failed logins; try again in ${wait} s`);
      }
      const found = services.users.findForLogin(username);
      // Verify against a dummy hash for unknown users too, so timing does not reveal who exists.
      const valid = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
      if (!found || !valid) {
        throttle.failed(username, request.ip);
        throw new ApiError('unauthenticated', 'wrong username or password');
      }
      throttle.succeeded(username, request.ip);
      const token = randomBytes(32).toString('base64url');
      services.users.createSession(found.user.id, token, services.clock.now(), SESSION_TTL_MS);
      reply.setCookie(cookie, token, { ...cookieOptions, maxAge: SESSION_TTL_MS / 1000 });
      return { user: found.user };
    },
  );

  app.post(
    '/auth/logout',
    { schema: { summary: 'End the session', response: { 204: z.null() } } },
    async (request, reply) => {
      const token = request.cookies[cookie];
      if (token) services.users.deleteSession(token);
      reply.clearCookie(cookie, cookieOptions);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      schema: { summary: 'The logged-in user', response: { 200: me, 401: errorBody } },
      preHandler: requireRole(services, ['admin', 'staff', 'volunteer', 'family']),
    },
    async (request) => ({ user: currentUser(request) }),
  );
};

/** A valid scrypt hash of a random password nobody knows. */
const DUMMY_HASH = 'scrypt$131072$8$1$c2FsdHNhbHRzYWx0c2FsdA$Qk9HVVNCT0dVU0JPR1VTQk9HVVNCT0dVU0JPR1VTISE';

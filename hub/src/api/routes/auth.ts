import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { randomBytes } from 'node:crypto';
import { LoginThrottle, verifyPassword } from '../../auth/index.js';
import { ApiError } from '../errors.js';
import { server } from '../serve.js';
import { SESSION_TTL_MS, currentUser, sessionCookieName, type ApiServices } from '../session.js';

/** Cookie-session login. The cookie is HttpOnly and SameSite=Strict: scripts cannot read it, other sites cannot send it. */
export const authRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict', secure: services.secureCookies } as const;
  const cookie = sessionCookieName(services.secureCookies);
  const route = server(app, services);
  const throttle = new LoginThrottle(() => services.clock.now(), services.loginLimits);

  route('POST /api/auth/login', async (request, reply) => {
    const { username, password } = request.body;
    const wait = throttle.retryAfterSeconds(username, request.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw ApiError.of('login_throttled', { seconds: wait });
    }
    const found = services.users.findForLogin(username);
    // Verify against a dummy hash for unknown users too, so timing does not reveal who exists.
    const valid = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
    if (!found || !valid) {
      throttle.failed(username, request.ip);
      throw ApiError.of('login_failed', {});
    }
    throttle.succeeded(username, request.ip);
    const token = randomBytes(32).toString('base64url');
    services.users.createSession(found.user.id, token, services.clock.now(), SESSION_TTL_MS);
    reply.setCookie(cookie, token, { ...cookieOptions, maxAge: SESSION_TTL_MS / 1000 });
    return { user: found.user };
  });

  route('POST /api/auth/logout', async (request, reply) => {
    const token = request.cookies[cookie];
    if (token) services.users.deleteSession(token);
    reply.clearCookie(cookie, cookieOptions);
    return reply.status(204).send(null);
  });

  route('GET /api/me', async (request) => ({ user: currentUser(request) }));
};

/** A valid scrypt hash of a random password nobody knows. */
const DUMMY_HASH = 'scrypt$131072$8$1$c2FsdHNhbHRzYWx0c2FsdA$Qk9HVVNCT0dVU0JPR1VTQk9HVVNCT0dVU0JPR1VTISE';

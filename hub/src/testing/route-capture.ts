import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';

/** A route as the HTTP API registered it. */
export interface RegisteredRoute {
  method: string;
  /** As registered, with its parameters: `/api/homes/:id`. */
  url: string;
  /** Hidden from the OpenAPI document (static dashboard files, the Swagger UI's own routes). */
  hidden: boolean;
}

/**
 * Every route registered by the Fastify instances created while `start` runs: the inventory
 * of what the hub really serves, not a hand-kept list. Fastify announces each new instance on
 * the `fastify.initialization` diagnostics channel before any plugin is registered, so an
 * `onRoute` hook added there sees every route, including those of encapsulated plugins.
 * HEAD routes that Fastify adds for every GET are left out: they run the GET's hooks.
 */
export async function captureRoutes<T>(start: () => Promise<T>): Promise<{ started: T; routes: RegisteredRoute[] }> {
  const routes: RegisteredRoute[] = [];
  const onInstance = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (route: RouteOptions) => {
      const hidden = (route.schema as { hide?: boolean } | undefined)?.hide === true;
      for (const method of [route.method].flat()) routes.push({ method, url: route.url, hidden });
    });
  };
  subscribe('fastify.initialization', onInstance);
  try {
    const started = await start();
    const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
    return { started, routes: routes.filter((r) => !(r.method === 'HEAD' && gets.has(r.url))) };
  } finally {
    unsubscribe('fastify.initialization', onInstance);
  }
}

import type {
  ContextConfigDefault,
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  ROUTES,
  errorBody,
  methodAndPath,
  type Access,
  type Role,
  type RouteKey,
  type RouteSpec,
  type Routes,
} from '@mimamori/contract';
import { requireRole, type ApiServices } from './session.js';

export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

type Spec<K extends RouteKey> = Routes[K];
type Success<K extends RouteKey> = Spec<K> extends { status: infer S extends number } ? S : 200;
type Answers<K extends RouteKey> = (Spec<K> extends { response: infer R } ? Record<Success<K>, R> : unknown) &
  (Spec<K> extends { alsoAnswers: readonly (infer S extends number)[]; response: infer R } ? Record<S, R> : unknown) &
  Record<400 | 401 | 403 | 404 | 409 | 429, typeof errorBody>;

/** The fastify schema of a route of the table, typed, so handlers get typed params, query, body and replies. */
export type SchemaOf<K extends RouteKey> = (Spec<K> extends { params: infer P } ? { params: P } : unknown) &
  (Spec<K> extends { query: infer Q } ? { querystring: Q } : unknown) &
  (Spec<K> extends { body: infer B } ? { body: B } : unknown) & { response: Answers<K> };

export type HandlerOf<K extends RouteKey> = RouteHandlerMethod<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  RouteGenericInterface,
  ContextConfigDefault,
  SchemaOf<K>,
  ZodTypeProvider
>;

const ROLES: Record<Exclude<Access, 'public'>, Role[]> = {
  anyone: ['admin', 'staff', 'volunteer', 'family'],
  staff: ['admin', 'staff'],
  admin: ['admin'],
};

/** A route's schema for fastify (validation, serialisation and the OpenAPI document) from its entry in the table. */
function schemaOf(spec: RouteSpec) {
  const success = spec.response ? { [spec.status ?? 200]: spec.response } : {};
  const also = Object.fromEntries((spec.alsoAnswers ?? []).map((status) => [status, spec.response]));
  const errors = Object.fromEntries(spec.errors.map((status) => [status, errorBody]));
  return {
    ...(spec.tags && { tags: [...spec.tags] }),
    ...(spec.summary && { summary: spec.summary }),
    ...(spec.description && { description: spec.description }),
    ...(spec.params && { params: spec.params }),
    ...(spec.query && { querystring: spec.query }),
    ...(spec.body && { body: spec.body }),
    response: { ...success, ...also, ...errors },
  };
}

/**
 * Serves one route of the contract's table (issue 17 item 6): its method, path and schemas come
 * from the table, and so does who may call it. The role is checked on request, before the body
 * is parsed or validated: a caller who may not use a route learns nothing from it, not even
 * which field it expects (authorization-matrix.test.ts).
 */
export function server(app: ZodApp, services: Pick<ApiServices, 'users' | 'clock' | 'secureCookies'>) {
  return <K extends RouteKey>(key: K, handler: HandlerOf<K>): void => {
    const [method, url] = methodAndPath(key);
    const spec: RouteSpec = ROUTES[key];
    app.route({
      method,
      url,
      schema: schemaOf(spec),
      ...(spec.access !== 'public' && { onRequest: requireRole(services, ROLES[spec.access]) }),
      handler: handler as RouteHandlerMethod,
    });
  };
}

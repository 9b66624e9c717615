import type { z } from 'zod';

/**
 * Who may call a route (docs/protocol.md, HTTP): nobody logged in, any logged-in user (a
 * watcher then reaches only the homes of their network), staff and admins, or admins only.
 */
export type Access = 'public' | 'anyone' | 'staff' | 'admin';

/** Error statuses a route may answer with besides its success. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 429;

/** One HTTP route: what it takes and what it answers. The table (routes.ts) is keyed `METHOD /path`. */
export interface RouteSpec {
  access: Access;
  tags?: readonly string[];
  summary?: string;
  description?: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success status (default 200) and its body; none for a stream the route writes itself. */
  status?: 200 | 201 | 204;
  response?: z.ZodType;
  /** Statuses answered with the same body as success (the health check's 503). */
  alsoAnswers?: readonly 503[];
  errors: readonly ErrorStatus[];
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Splits a table key into its method and path: `GET /api/homes/:id` → ['GET', '/api/homes/:id']. */
export function methodAndPath(key: string): [Method, string] {
  const [method, path] = key.split(' ', 2) as [Method, string];
  return [method, path];
}

/** `/api/homes/:id` with `{ id: 'h 1' }` → `/api/homes/h%201`. */
export function fillPath(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${path}: no value for :${name}`);
    return encodeURIComponent(String(value));
  });
}

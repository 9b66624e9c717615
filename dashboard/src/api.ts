import {
  fillPath,
  methodAndPath,
  type Alert,
  type ErrorBody,
  type FieldError,
  type Problem,
  type RouteKey,
  type Routes,
} from '@mimamori/contract';
import type { z } from 'zod';

/**
 * The hub's HTTP API as the dashboard calls it: one typed function over the contract's route
 * table (issue 17 item 6), so a path, a parameter, a body field or an answer that does not
 * match the hub is a compile error here, not a 400 in a volunteer's hand.
 */

type Spec<K extends RouteKey> = Routes[K];
type Optional<T> = object extends T ? { query?: T } : { query: T };

/** What a call takes: the path's parameters, the query and the body, each as the route's schema accepts them. */
export type CallInput<K extends RouteKey> = (Spec<K> extends { params: infer P extends z.ZodType }
  ? { params: z.input<P> }
  : unknown) &
  (Spec<K> extends { query: infer Q extends z.ZodType } ? Optional<z.input<Q>> : unknown) &
  (Spec<K> extends { body: infer B extends z.ZodType } ? { body: z.input<B> } : unknown);

/** What a call answers with. */
export type Answer<K extends RouteKey> = Spec<K> extends { response: infer R extends z.ZodType } ? z.output<R> : never;

type Args<K extends RouteKey> = object extends CallInput<K> ? [input?: CallInput<K>] : [input: CallInput<K>];

/** An error the hub answered with: its status and the body's stable problem code and parameters. */
export class ApiError extends Error {
  readonly code: string;
  readonly problem: Problem | undefined;
  readonly params: Record<string, unknown>;
  readonly field: string | undefined;
  readonly details: FieldError[];

  constructor(
    readonly status: number,
    body: ErrorBody['error'] | undefined,
  ) {
    super(body?.message ?? `HTTP ${status}`);
    this.code = body?.code ?? 'error';
    this.problem = body?.problem;
    this.params = body?.params ?? {};
    this.field = body?.field;
    this.details = body?.details ?? [];
  }
}

/** Calls a route of the table: `call('GET /api/homes/:id', { params: { id } })`. */
export async function call<K extends RouteKey>(key: K, ...[input]: Args<K>): Promise<Answer<K>> {
  const [method, path] = methodAndPath(key);
  const given = (input ?? {}) as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };
  const query = new URLSearchParams(
    Object.entries(given.query ?? {}).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, String(value)] as [string, string]],
    ),
  ).toString();
  const response = await fetch(`${fillPath(path, given.params)}${query ? `?${query}` : ''}`, {
    method,
    credentials: 'same-origin',
    headers: given.body === undefined ? {} : { 'content-type': 'application/json' },
    ...(given.body === undefined ? {} : { body: JSON.stringify(given.body) }),
  });
  if (response.status === 204) return null as Answer<K>;
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) throw new ApiError(response.status, (parsed as Partial<ErrorBody> | undefined)?.error);
  return parsed as Answer<K>;
}

/** Alert changes as the hub pushes them (server-sent events); the browser reconnects by itself. */
export function onAlertChanges(listener: (alert: Alert) => void, onReconnect: () => void): () => void {
  const source = new EventSource('/api/stream');
  let opened = false;
  source.addEventListener('alert', (event) => listener(JSON.parse((event as MessageEvent<string>).data)));
  // After a dropped connection, reload: events sent meanwhile are not replayed.
  source.addEventListener('open', () => {
    if (opened) onReconnect();
    opened = true;
  });
  return () => source.close();
}

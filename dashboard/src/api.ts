import type { Alert } from '@mimamori/contract';

/** The hub's public HTTP API, as the dashboard calls it: JSON, the session cookie, one error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'error', error?.message ?? `HTTP ${response.status}`);
  }
  return parsed as T;
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

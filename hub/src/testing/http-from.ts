import { request } from 'node:http';

/**
 * An HTTP call over a real socket from `localAddress`: on Linux all of 127.0.0.0/8 is this
 * machine, so 127.0.0.2 and 127.0.0.3 are two clients the hub tells apart by address (its
 * per-address login limits). Returns the status, the headers, the body as text and how many
 * milliseconds the answer took.
 */
export function httpFrom(
  base: string,
  method: string,
  path: string,
  options: { localAddress?: string; body?: unknown; cookie?: string | undefined } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string; ms: number }> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, base),
      {
        method,
        localAddress: options.localAddress ?? '127.0.0.1',
        headers: {
          ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
          ...(options.cookie ? { cookie: options.cookie } : {}),
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: text,
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deviceInput, homeInput, loginInput, residentInput } from '@mimamori/contract';
import type { z } from 'zod';

type Home = z.output<typeof homeInput> & { id: string };
type Resident = z.output<typeof residentInput> & { id: string; homeId: string };
type Device = z.output<typeof deviceInput> & { id: string };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The provisioning part of the hub's HTTP API (PROTOCOL.md, HTTP API), in memory over a real
 * socket, for tests of the simulator without the hub: session-cookie login, homes, residents,
 * devices, and credentials that replace the device's earlier secret.
 */
export class FakeHub {
  readonly homes = new Map<string, Home>();
  readonly residents = new Map<string, Resident>();
  readonly devices = new Map<string, Device>();
  /** Every request as "METHOD /path", in order. */
  readonly requests: string[] = [];
  readonly #secrets = new Map<string, string>();
  readonly #sessions = new Set<string>();
  readonly #server = createServer((request, response) => void this.#handle(request, response));

  constructor(private readonly login: z.input<typeof loginInput>) {}

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** What the broker asks at CONNECT: is this the device's current secret? */
  authenticate(deviceId: string, secret: string): boolean {
    return this.#secrets.get(deviceId) === secret;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const route = `${request.method ?? 'GET'} ${request.url ?? '/'}`;
    this.requests.push(route);
    try {
      const body = await readBody(request);
      if (route === 'POST /api/auth/login') return this.#login(body, response);
      if (!this.#sessions.has(/mimamori_session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1] ?? '')) {
        throw new HttpError(401, 'unauthenticated', 'log in first');
      }
      const [status, result] = this.#route(route, body);
      send(response, status, result);
    } catch (error) {
      const { status, code, message } = error instanceof HttpError ? error : new HttpError(500, 'internal', String(error));
      send(response, status, { error: { code, message } });
    }
  }

  #login(body: unknown, response: ServerResponse): void {
    const input = parse(loginInput, body);
    if (input.username !== this.login.username || input.password !== this.login.password) {
      throw new HttpError(401, 'unauthenticated', 'wrong username or password');
    }
    const token = randomBytes(16).toString('hex');
    this.#sessions.add(token);
    response.setHeader('set-cookie', `mimamori_session=${token}; Path=/; HttpOnly; SameSite=Strict`);
    send(response, 200, { user: { id: 'u1', username: input.username, displayName: 'staff', role: 'staff' } });
  }

  #route(route: string, body: unknown): [number, unknown] {
    let match: RegExpExecArray | null;
    if (route === 'POST /api/homes') {
      const home = parse(homeInput, body);
      const id = home.id ?? randomBytes(4).toString('hex');
      return [201, this.#insert(this.homes, { ...home, id })];
    }
    if ((match = /^GET \/api\/homes\/([^/]+)$/.exec(route))) return [200, this.#get(this.homes, match[1])];
    if ((match = /^(GET|POST) \/api\/homes\/([^/]+)\/residents$/.exec(route))) {
      const homeId = this.#get(this.homes, match[2]).id;
      if (match[1] === 'GET') return [200, { items: [...this.residents.values()].filter((r) => r.homeId === homeId) }];
      const resident = parse(residentInput, body);
      return [201, this.#insert(this.residents, { ...resident, id: resident.id ?? randomBytes(4).toString('hex'), homeId })];
    }
    if (route === 'POST /api/devices') {
      const device = parse(deviceInput, body);
      this.#get(this.homes, device.homeId);
      return [201, this.#insert(this.devices, { ...device, id: device.id ?? randomBytes(4).toString('hex') })];
    }
    if ((match = /^GET \/api\/devices\/([^/]+)$/.exec(route))) return [200, this.#get(this.devices, match[1])];
    if ((match = /^POST \/api\/devices\/([^/]+)\/credentials$/.exec(route))) {
      const device = this.#get(this.devices, match[1]);
      const password = randomBytes(24).toString('base64url');
      this.#secrets.set(device.id, password);
      return [201, { deviceId: device.id, username: device.id, password }];
    }
    throw new HttpError(404, 'not_found', `no route ${route}`);
  }

  #get<T>(table: Map<string, T>, id: string | undefined): T {
    const found = table.get(decodeURIComponent(id ?? ''));
    if (!found) throw new HttpError(404, 'not_found', `${id} does not exist`);
    return found;
  }

  #insert<T extends { id: string }>(table: Map<string, T>, row: T): T {
    if (table.has(row.id)) throw new HttpError(409, 'conflict', `${row.id} already exists`);
    table.set(row.id, row);
    return row;
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, 'bad_request', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'bad_request', 'body is not JSON');
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

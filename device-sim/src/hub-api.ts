import {
  checkinSchedule,
  device,
  deviceCredentials,
  errorBody,
  home,
  listOf,
  resident,
  type CheckinScheduleInput,
  type deviceInput,
  type homeInput,
  type residentInput,
} from '@mimamori/contract';
import type { z } from 'zod';

/** The hub's session cookie (set by POST /api/auth/login). */
const SESSION_COOKIE = 'mimamori_session';

// Only the fields provisioning reads are required, so a hub that returns more still parses.
const homeSummary = home.pick({ id: true, name: true });
const residentSummary = resident.pick({ id: true, homeId: true, name: true });
const residentList = listOf(residentSummary);
const deviceSummary = device.pick({ id: true, homeId: true, kind: true });
const issuedCredentials = deviceCredentials.pick({ deviceId: true, username: true, password: true });
const scheduleSummary = checkinSchedule.pick({ id: true, residentId: true, cron: true });
const scheduleList = listOf(scheduleSummary);

export type HomeSummary = z.infer<typeof homeSummary>;
export type ResidentSummary = z.infer<typeof residentSummary>;
export type DeviceSummary = z.infer<typeof deviceSummary>;
export type IssuedCredentials = z.infer<typeof issuedCredentials>;
export type ScheduleSummary = z.infer<typeof scheduleSummary>;

/** A hub answer other than the expected one; `code` is the API's error code when it sent one. */
export class HubApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HubApiError';
  }
}

/**
 * The few calls of the hub's public HTTP API that provisioning needs. Carries the session
 * cookie itself, and parses every response it reads with the contract's schemas.
 */
export class HubApi {
  #cookie: string | undefined;
  readonly #baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async login(username: string, password: string): Promise<void> {
    const response = await this.#request('POST', '/api/auth/login', { username, password });
    if (response.status !== 200)
      throw await this.#error(
        response,
        'POST /api/auth/login',
        `login as ${username} failed; check --user and --password`,
      );
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (!cookie)
      throw new HubApiError(
        200,
        'no_session',
        `login as ${username} succeeded but the hub set no ${SESSION_COOKIE} cookie`,
      );
    this.#cookie = cookie.split(';')[0];
  }

  getHome(id: string): Promise<HomeSummary | undefined> {
    return this.#find(`/api/homes/${encodeURIComponent(id)}`, homeSummary);
  }

  createHome(input: z.input<typeof homeInput>): Promise<HomeSummary> {
    return this.#send('POST', '/api/homes', input, 201, homeSummary);
  }

  async listResidents(homeId: string): Promise<ResidentSummary[]> {
    return (await this.#send('GET', `/api/homes/${encodeURIComponent(homeId)}/residents`, undefined, 200, residentList))
      .items;
  }

  createResident(homeId: string, input: z.input<typeof residentInput>): Promise<ResidentSummary> {
    return this.#send('POST', `/api/homes/${encodeURIComponent(homeId)}/residents`, input, 201, residentSummary);
  }

  async listSchedules(residentId: string): Promise<ScheduleSummary[]> {
    return (
      await this.#send(
        'GET',
        `/api/residents/${encodeURIComponent(residentId)}/schedules`,
        undefined,
        200,
        scheduleList,
      )
    ).items;
  }

  createSchedule(residentId: string, input: CheckinScheduleInput): Promise<ScheduleSummary> {
    return this.#send(
      'POST',
      `/api/residents/${encodeURIComponent(residentId)}/schedules`,
      input,
      201,
      scheduleSummary,
    );
  }

  getDevice(id: string): Promise<DeviceSummary | undefined> {
    return this.#find(`/api/devices/${encodeURIComponent(id)}`, deviceSummary);
  }

  createDevice(input: z.input<typeof deviceInput>): Promise<DeviceSummary> {
    return this.#send('POST', '/api/devices', input, 201, deviceSummary);
  }

  /** Issues a new MQTT secret; the device's earlier secret stops working. */
  issueCredentials(deviceId: string): Promise<IssuedCredentials> {
    return this.#send(
      'POST',
      `/api/devices/${encodeURIComponent(deviceId)}/credentials`,
      undefined,
      201,
      issuedCredentials,
    );
  }

  /** GET that answers undefined for 404. */
  async #find<T>(path: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const response = await this.#request('GET', path);
    if (response.status === 404) return undefined;
    return this.#read(response, `GET ${path}`, 200, schema);
  }

  async #send<T>(method: string, path: string, body: unknown, expected: number, schema: z.ZodType<T>): Promise<T> {
    return this.#read(await this.#request(method, path, body), `${method} ${path}`, expected, schema);
  }

  async #read<T>(response: Response, call: string, expected: number, schema: z.ZodType<T>): Promise<T> {
    if (response.status !== expected) throw await this.#error(response, call);
    const parsed = schema.safeParse(await readJson(response));
    if (!parsed.success)
      throw new HubApiError(
        response.status,
        'bad_response',
        `${call}: unexpected response: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    return parsed.data;
  }

  async #error(response: Response, call: string, hint?: string): Promise<HubApiError> {
    const body = errorBody.safeParse(await readJson(response));
    const code = body.success ? body.data.error.code : 'http_error';
    const reason = body.success ? `${code}: ${body.data.error.message}` : response.statusText;
    return new HubApiError(
      response.status,
      code,
      `${call} → HTTP ${response.status} ${reason}${hint ? ` (${hint})` : ''}`,
    );
  }

  async #request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.#cookie) headers.cookie = this.#cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(`${this.#baseUrl}${path}`, {
        method,
        headers,
        signal: AbortSignal.timeout(this.timeoutMs),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, a timeout) is in its cause.
      const cause =
        error instanceof Error && error.cause instanceof Error ? error.cause.message : (error as Error).message;
      throw new Error(`${method} ${path}: cannot reach the hub at ${this.#baseUrl} (${cause})`, { cause: error });
    }
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

import { deviceCredentials, type DeviceCredentials, type DeviceKind } from '@mimamori/contract';

/** The few calls of the hub's public HTTP API that provisioning needs, with the session cookie carried along. */
export class HubApi {
  #cookie = '';

  constructor(private readonly baseUrl: string) {}

  async login(username: string, password: string): Promise<void> {
    const response = await this.#call('POST', '/api/auth/login', { username, password });
    if (response.status !== 200) throw new Error(`login as ${username} failed (HTTP ${response.status}); check --user and --password`);
    this.#cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }

  /** Creates the entity at `createPath` unless `getPath` finds it (so provisioning can run again). */
  async ensure(getPath: string, createPath: string, body: Record<string, unknown>): Promise<void> {
    if ((await this.#call('GET', getPath)).status === 200) return;
    const created = await this.#call('POST', createPath, body);
    if (created.status !== 201) throw new Error(`POST ${createPath} failed: HTTP ${created.status} ${await created.text()}`);
  }

  async ensureResident(homeId: string, id: string, name: string): Promise<void> {
    const listed = await this.#call('GET', `/api/homes/${homeId}/residents`);
    const { items } = (await listed.json()) as { items?: { id: string }[] };
    if (items?.some((resident) => resident.id === id)) return;
    const created = await this.#call('POST', `/api/homes/${homeId}/residents`, { id, name });
    if (created.status !== 201) throw new Error(`adding resident ${id} failed: HTTP ${created.status}`);
  }

  async ensureDevice(homeId: string, id: string, kind: DeviceKind): Promise<DeviceCredentials> {
    await this.ensure(`/api/devices/${id}`, '/api/devices', { id, homeId, kind });
    const response = await this.#call('POST', `/api/devices/${id}/credentials`);
    if (response.status !== 201) throw new Error(`issuing credentials for ${id} failed: HTTP ${response.status}`);
    return deviceCredentials.parse(await response.json());
  }

  #call(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { cookie: this.#cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }
}

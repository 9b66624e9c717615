import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { z } from 'zod';
import { loadConfig, webhookSchema, type Config } from '../config/index.js';
import { Hub } from '../hub.js';
import type { AmazonSide } from '../speakers/alexa/index.js';
import { TEST_SKILL_ID } from './fake-amazon.js';
import { ManualClock } from '../time/index.js';

/**
 * A real hub for integration tests: embedded aedes and HTTP on free ports of 127.0.0.1, a
 * SQLite file in a temp dir, demo users, and a manual clock starting at `now` (default: the real now).
 */
export async function startTestHub(
  options: {
    webhooks?: z.input<typeof webhookSchema>[];
    smtp?: { url: string; from: string };
    dataDir?: string;
    now?: number;
    /** Broker settings other than the defaults. */
    mqtt?: Partial<Config['mqtt']>;
    /** Amazon's stand-in (fake-amazon.ts): the hub's Alexa skill then answers requests for TEST_SKILL_ID. */
    amazon?: AmazonSide;
  } = {},
) {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mimamori-test-'));
  const config = loadConfig({
    MIMAMORI_MODE: 'demo',
    MIMAMORI_DATA_DIR: dataDir,
    MIMAMORI_HTTP_PORT: '0',
    MIMAMORI_MQTT_PORT: '0',
  });
  config.notify.webhooks = (options.webhooks ?? []).map((hook) => webhookSchema.parse(hook));
  Object.assign(config.mqtt, options.mqtt);
  if (options.smtp) config.notify.smtp = options.smtp;
  if (options.amazon) config.alexa.skillId = TEST_SKILL_ID;
  // Retries a test can wait for; backoff behaviour itself is tested in notifier.test.ts.
  config.notify.retryMinSeconds = 1;
  const clock = new ManualClock(options.now ?? Date.now());
  const hub = new Hub({
    config,
    clock,
    logger: pino({ level: 'silent' }),
    ...(options.amazon && { amazon: options.amazon }),
  });
  await hub.start();
  const http = `http://127.0.0.1:${hub.httpPort}`;
  return {
    hub,
    clock,
    dataDir,
    http,
    mqtt: `mqtt://127.0.0.1:${hub.mqttPort}`,
    async stop({ keepData = false } = {}) {
      await hub.stop();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A logged-in API client for the tests (the demo staff user unless told otherwise): JSON in and out (other bodies as text), the session cookie carried along. */
export async function staffClient(
  http: string,
  credentials: { username: string; password: string } = { username: 'staff', password: 'mimamori-demo-staff' },
) {
  const login = await fetch(`${http}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${http}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.startsWith('application/json') ?? false;
    return { status: response.status, body: text ? (json ? (JSON.parse(text) as unknown) : text) : undefined };
  };
}

/** Registers a home with a resident and one device; returns the device's MQTT credentials. */
export async function provisionDevice(
  api: Awaited<ReturnType<typeof staffClient>>,
  ids: { homeId: string; deviceId: string; kind?: string },
) {
  await api('POST', '/api/homes', { id: ids.homeId, name: `${ids.homeId} 宅` });
  await api('POST', `/api/homes/${ids.homeId}/residents`, { id: `${ids.homeId}-r1`, name: '佐藤 ハナ' });
  await api('POST', '/api/devices', { id: ids.deviceId, homeId: ids.homeId, kind: ids.kind ?? 'sos_button' });
  const credentials = await api('POST', `/api/devices/${ids.deviceId}/credentials`);
  return credentials.body as { username: string; password: string; topicPrefix: string };
}

/** Volunteers to put in watch-over networks (with an e-mail address when asked); returns their user ids. */
export async function createVolunteers(
  api: Awaited<ReturnType<typeof staffClient>>,
  usernames: readonly string[],
  options: { withEmail?: boolean } = {},
) {
  const ids: string[] = [];
  for (const username of usernames) {
    const email = options.withEmail ? { email: `${username}@example.jp` } : {};
    const created = await api('POST', '/api/users', {
      username,
      displayName: username,
      role: 'volunteer',
      password: `${username}-password`,
      ...email,
    });
    ids.push((created.body as { id: string }).id);
  }
  return ids;
}

/**
 * The home's network: a neighbour tier that times out after one minute (the shortest staff can
 * set, so an escalation step falls due while a test waits) and a council tier after 30; an SOS
 * tells the first tier only. Returns the API's answer.
 */
export function putTwoTierNetwork(
  api: Awaited<ReturnType<typeof staffClient>>,
  homeId: string,
  [neighbour, council]: readonly string[],
  reason: string,
) {
  return api('PUT', `/api/homes/${homeId}/network`, {
    tiers: [
      { name: '近隣', watchers: [neighbour], ackTimeoutMinutes: 1 },
      { name: '社協', watchers: [council], ackTimeoutMinutes: 30 },
    ],
    criticalTiersAtOnce: 1,
    reason,
  });
}

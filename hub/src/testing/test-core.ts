import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceCommand, DeviceEventBody } from '@mimamori/contract';
import { pino } from 'pino';
import { buildApi } from '../api/index.js';
import { SESSION_TTL_MS, sessionCookieName } from '../api/session.js';
import { hashPassword } from '../auth/index.js';
import { loadConfig } from '../config/index.js';
import { composeCore, coreApiServices } from '../core.js';
import { BacktestRunner, BaselineJob, RuleAdmin } from '../engine/index.js';
import { systemJobs } from '../jobs/index.js';
import { Lifecycle } from '../lifecycle/index.js';
import { createMetrics } from '../metrics/index.js';
import { monthlyReport } from '../reports/index.js';
import type { SpeakerPlatform } from '../speakers/index.js';
import { AMAZON, composeAlexa, type AmazonSide } from '../speakers/alexa/index.js';
import type { SkillCredentials } from '../speakers/alexa/reminders.js';
import { TEST_SKILL_ID } from './fake-amazon.js';
import { EventRetention, openStores, SqliteTimeSeries } from '../store/index.js';
import { ManualClock } from '../time/index.js';
import { DEMO_USERS } from '../users-seed.js';

type PromptCommand = Extract<DeviceCommand, { type: 'prompt' }>;
export type ApiClient = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

/** Speakers reached in-process: the home's registered speakers, each keeping the commands it was sent. */
class RecordingSpeakers implements SpeakerPlatform {
  readonly name = 'in-process';
  readonly #received = new Map<string, DeviceCommand[]>();

  constructor(private readonly speakersOfHome: (homeId: string) => string[]) {}

  speakersOf(homeId: string): string[] {
    return this.speakersOfHome(homeId);
  }

  async send(_homeId: string, speakerId: string, command: DeviceCommand): Promise<void> {
    this.received(speakerId).push(command);
  }

  received(speakerId: string): DeviceCommand[] {
    const commands = this.#received.get(speakerId) ?? [];
    this.#received.set(speakerId, commands);
    return commands;
  }
}

/** Demo password hashes, computed once per test process: scrypt is slow on purpose. */
const demoHashes = Promise.all(DEMO_USERS.map(async (u) => ({ ...u, passwordHash: await hashPassword(u.password) })));

/**
 * The hub's core (ingest, rules, check-ins, alerts, notifications), its system jobs and its API, composed in
 * this process without a socket: SQLite in memory (or, `onDisk`, in `dataDir`, to start again
 * on the same data), a manual clock, the demo users, the API over `inject()`, and devices that publish
 * through ingest and hear commands through an in-process speaker platform. Starts in tens of
 * milliseconds; tests of MQTT itself use `startTestHub`.
 */
export async function startTestCore(
  options: {
    now?: number;
    dataDir?: string;
    onDisk?: boolean;
    /** Amazon's stand-in: the Alexa skill then answers requests for TEST_SKILL_ID (fake-amazon.ts). */
    alexa?: { amazon: AmazonSide; credentials?: SkillCredentials };
    /** Where e-mail goes (testing/receivers.ts startSmtpServer): watchers with an address are then told by e-mail. */
    smtp?: { url: string; from: string };
  } = {},
) {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mimamori-core-'));
  const config = loadConfig({ MIMAMORI_MODE: 'demo', MIMAMORI_DATA_DIR: dataDir });
  if (options.smtp) config.notify.smtp = options.smtp;
  const logger = pino({ level: 'silent' });
  const clock = new ManualClock(options.now ?? Date.now());
  const metrics = createMetrics();
  const stores = openStores(options.onDisk ? join(dataDir, 'mimamori.sqlite') : ':memory:');
  // No fsync per commit: a day on the manual clock writes 8,640 liveness notes. Surviving power
  // loss is the production pragma's job (store/database.ts); crashes are tested with processes.
  stores.db.pragma('synchronous = OFF');
  const speakers = new RecordingSpeakers((homeId) =>
    stores.devices
      .list(homeId)
      .filter((d) => d.kind === 'speaker')
      .map((d) => d.id),
  );
  const alexa = composeAlexa(
    {
      skillId: options.alexa ? TEST_SKILL_ID : undefined,
      credentials: options.alexa?.credentials,
      pairingCodeMinutes: config.alexa.pairingCodeMinutes,
    },
    { stores, ingest: () => core.ingest, amazon: options.alexa?.amazon ?? AMAZON, clock, metrics, logger },
  );
  const core = composeCore({
    config,
    stores,
    speakerPlatforms: [speakers, alexa.platform],
    publicUrl: () => 'http://hub.test',
    clock,
    metrics,
    logger,
  });
  for (const user of await demoHashes) {
    if (!stores.users.byUsername(user.username)) stores.users.create(user, clock.now());
  }
  const { components } = core;
  const baselines = new BaselineJob({ ...stores, clock, logger });
  const retention = new EventRetention({
    ...stores,
    readers: [stores.engineCursor],
    retentionDays: 400,
    clock,
    logger,
  });
  const lifecycle = new Lifecycle(
    [
      stores.component,
      components.liveness,
      components.rules,
      systemJobs(config.rules, { baselines, retention }),
      components.engine,
      components.notifier,
      components.checkins,
      components.escalations,
      components.deadlines,
    ],
    logger,
  );
  await lifecycle.start();
  const api = await buildApi({
    ...coreApiServices(core, stores),
    alexaPairing: alexa.pairing,
    alexaEndpoint: alexa.endpoint,
    ruleAdmin: new RuleAdmin({
      repository: stores.rules,
      homes: stores.homes,
      baselines: stores.baselines,
      backtests: new BacktestRunner({ ...stores, dbFile: stores.file }, 0),
      onChanged: (ruleId) => core.engine.ruleChanged(ruleId),
    }),
    webhookNames: [],
    monthlyReport: (month) => monthlyReport(stores.db, month, config.reports.timezone),
    broker: { disconnectDevice: async () => 0, homeAdded: () => undefined, homeRemoved: () => undefined },
    timeSeries: new SqliteTimeSeries(stores.db),
    clock,
    mqttUrlFor: (host) => `mqtt://${host}:1883`,
    historyStart: () => stores.journal.firstEventAt(),
    health: async () => ({ ok: true, checks: {} }),
    metricsText: () => metrics.registry.metrics(),
    secureCookies: false,
    logger,
  });

  /**
   * An API client with a session: logged in with `credentials` through the login route, or by
   * default a session of the demo staff user made directly (login itself is tested in
   * users-seed.test.ts and the access tests; its scrypt costs a test ~0.2 s each time).
   */
  const client = async (credentials?: { username: string; password: string }): Promise<ApiClient> => {
    let cookie: string;
    if (credentials) {
      const login = await api.inject({ method: 'POST', url: '/api/auth/login', payload: credentials });
      if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode}`);
      cookie = `${login.cookies[0]?.name}=${login.cookies[0]?.value}`;
    } else {
      const token = randomBytes(32).toString('base64url');
      stores.users.createSession(stores.users.byUsername('staff')?.id ?? '', token, clock.now(), SESSION_TTL_MS);
      cookie = `${sessionCookieName(false)}=${token}`;
    }
    return async (method, path, body) => {
      const response = await api.inject({
        method: method as 'GET',
        url: path,
        headers: { cookie },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      const json = response.headers['content-type']?.toString().startsWith('application/json') ?? false;
      return {
        status: response.statusCode,
        body: response.body ? (json ? response.json() : response.body) : undefined,
      };
    };
  };

  /** A registered device, publishing through ingest with fresh ids, stamped with the clock unless the event says otherwise. */
  const device = (creds: { username: string }) => {
    const principal = stores.devices.principal(creds.username);
    if (!principal) throw new Error(`device ${creds.username} is not registered`);
    const commands = speakers.received(creds.username);
    let n = 0;
    const publish = (event: DeviceEventBody | (Record<string, unknown> & { type: string })) =>
      core.ingest.acceptEvent(principal, { id: `${creds.username}-e${++n}`, ts: clock.now(), ...event });
    const prompts = () => commands.filter((c): c is PromptCommand => c.type === 'prompt');
    return { commands, prompts, publish, end: async () => undefined };
  };

  return {
    core,
    api,
    stores,
    clock,
    metrics,
    dataDir,
    client,
    device,
    /** Lets commands queued after a commit reach the speakers. */
    settle: async () => {
      for (let turn = 0; turn < 3 || core.speakers.queued > 0; turn++) await new Promise(setImmediate);
    },
    async stop({ keepData = false } = {}) {
      await api.close();
      await lifecycle.stop();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestCore = Awaited<ReturnType<typeof startTestCore>>;

import { availableParallelism } from 'node:os';
import { timezone } from '@mimamori/contract';
import cron from 'node-cron';
import { z } from 'zod';
import { mqttSchema } from './mqtt-schema.js';
import { port } from './port.js';

/**
 * Every setting of the hub, with its default and a description. Environment variables
 * (`MIMAMORI_*`, listed in `ENV_SETTINGS`) override a JSON config file, which overrides these
 * defaults. Nothing else in the hub reads the environment.
 */

export const webhookSchema = z.object({
  url: z.url({ protocol: /^https?$/ }).describe('Where alert notifications are POSTed'),
  secret: z
    .string()
    .min(16, 'must be at least 16 characters: it signs every delivery (HMAC-SHA256)')
    .describe('Shared secret for the X-Mimamori-Signature header; one per endpoint'),
  name: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('Name a network tier uses to address this webhook (e.g. line-minami)'),
  tiersOnly: z
    .boolean()
    .default(false)
    .describe(
      'true: only tiers that name it are told through it; false: it hears every alert of every home (a staff bridge)',
    ),
});

export const configSchema = z.object({
  mode: z
    .enum(['production', 'development', 'demo'])
    .default('production')
    .describe('production refuses demo passwords; demo seeds demo users and homes'),
  demoOnNetwork: z
    .boolean()
    .default(false)
    .describe(
      'Let a demo hub listen on an address other than loopback (to show it on phones); its published logins then face that network',
    ),
  dataDir: z.string().min(1).default('.data').describe('Directory for the SQLite database'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  http: z
    .object({
      host: z.string().min(1).default('127.0.0.1').describe('Address the HTTP API binds to'),
      port: port.default(8080).describe('HTTP port (0 = any free port); MQTT over WebSocket is at /mqtt'),
    })
    .prefault({}),
  mqtt: mqttSchema,
  timeseries: z
    .object({
      backend: z.enum(['sqlite', 'influx']).default('sqlite').describe('Where event history is queried from'),
      influxUrl: z
        .url({ protocol: /^https?$/ })
        .optional()
        .describe('InfluxDB 1.x URL with the database as path, e.g. http://influxdb:8086/mimamori'),
      retentionDays: z
        .number()
        .int()
        .min(35, 'must be at least 35: learned baselines read the last 28 days')
        .max(3650)
        .default(400)
        .describe(
          'Raw sensor events older than this are deleted every night (and InfluxDB keeps them this long); alerts, check-ins and the audit log are kept',
        ),
    })
    .prefault({}),
  tls: z
    .object({
      certFile: z
        .string()
        .min(1)
        .optional()
        .describe(
          'PEM certificate (chain) file: with keyFile, MQTT is served as mqtts and HTTP as HTTPS, TLS 1.2 or newer only',
        ),
      keyFile: z.string().min(1).optional().describe('PEM private key file of certFile'),
    })
    .prefault({}),
  heartbeat: z
    .object({
      url: z
        .url({ protocol: /^https?$/ })
        .optional()
        .describe(
          'A dead-man’s switch: the hub GETs this URL every interval, so an outside watchdog notices when it stops',
        ),
      intervalSeconds: z.number().int().min(1).max(3600).default(60).describe('How often the heartbeat URL is called'),
    })
    .prefault({}),
  admin: z
    .object({
      username: z.string().min(1).optional().describe('Seeds this admin user at start-up if it does not exist'),
      password: z.string().optional().describe('Password of the seeded admin (at least 12 characters)'),
    })
    .prefault({}),
  checkins: z
    .object({
      restartGraceSeconds: z
        .number()
        .int()
        .min(0)
        .max(3600)
        .default(5)
        .describe(
          'After a restart, wait this long for devices to reconnect and deliver held events before deciding overdue check-ins and rule deadlines',
        ),
    })
    .prefault({}),
  alerts: z
    .object({
      lateReportHours: z
        .number()
        .min(1)
        .max(24 * 30)
        .default(24)
        .describe(
          'An alert whose cause (an SOS press, an answer) happened longer ago than this is a late report for staff instead of paging the network',
        ),
    })
    .prefault({}),
  rules: z
    .object({
      baselineCron: z
        .string()
        .refine((expression) => cron.validate(expression), 'must be a cron expression such as "30 4 * * *"')
        .default('30 4 * * *')
        .describe('When learned baselines are recomputed (a system job; after the 04:00 day boundary)'),
      baselineTimezone: timezone.default('Asia/Tokyo').describe('Time zone of baselineCron'),
      backtestWorkers: z
        .number()
        .int()
        .min(0)
        .max(16)
        .default(Math.min(4, availableParallelism()))
        .describe('Worker threads a backtest is shared out among (0: run in the main thread, blocking it)'),
    })
    .prefault({}),
  reports: z
    .object({
      timezone: timezone
        .default('Asia/Tokyo')
        .describe('Time zone calendar months of the monthly report are counted in'),
    })
    .prefault({}),
  alexa: z
    .object({
      skillId: z
        .string()
        .regex(/^amzn1\.ask\.skill\.[0-9A-Za-z.-]+$/, 'must be the skill’s id, amzn1.ask.skill.…')
        .optional()
        .describe(
          'The Alexa skill’s id (developer console): POST /alexa answers only requests signed by Alexa for this skill; without it every request is refused (docs/speakers.md, Alexa)',
        ),
      clientId: z
        .string()
        .min(1)
        .optional()
        .describe(
          'The skill’s client id (developer console, Permissions, Alexa Skill Messaging): with clientSecret, prompts ring as Alexa reminders where the resident allowed them',
        ),
      clientSecret: z.string().min(1).optional().describe('The skill’s client secret, with clientId'),
      pairingCodeMinutes: z
        .number()
        .int()
        .min(5)
        .max(7 * 24 * 60)
        .default(60)
        .describe('How long a one-time code for pairing an Echo to a home may be used after staff issue it'),
    })
    .prefault({}),
  notify: z
    .object({
      webhooks: z
        .array(webhookSchema)
        .default([])
        .refine(
          (hooks) =>
            new Set(hooks.flatMap((h) => (h.name ? [h.name] : []))).size === hooks.filter((h) => h.name).length,
          'webhook names must be unique',
        )
        .describe('Signed webhooks (bridges to LINE groups, Slack, Teams)'),
      publicUrl: z
        .url({ protocol: /^https?$/ })
        .optional()
        .describe(
          'The dashboard’s address as watchers reach it; links in messages point here (default: the HTTP listener)',
        ),
      smtp: z
        .object({
          url: z
            .url({ protocol: /^smtps?$/ })
            .describe('smtp://user:password@host:587 (STARTTLS when offered) or smtps://…:465'),
          from: z.string().min(3).describe('Sender, e.g. "見守りハブ <mimamori@example.lg.jp>"'),
        })
        .optional()
        .describe('E-mail to watchers; without it, watchers are reached by Web Push only'),
      vapid: z
        .object({
          publicKey: z.string().min(1).optional(),
          privateKey: z.string().min(1).optional(),
          subject: z
            .string()
            .regex(/^(mailto:|https:)/, 'must be a mailto: or https: URL')
            .optional(),
        })
        .prefault({})
        .describe('Web Push keys; generated once into the data directory when not set'),
      retryMinSeconds: z
        .number()
        .min(1)
        .max(3600)
        .default(5)
        .describe('First retry of a failed delivery; doubles each attempt'),
      retryMaxSeconds: z.number().min(1).max(86_400).default(600).describe('Longest wait between retries'),
      timeoutSeconds: z
        .number()
        .min(1)
        .max(120)
        .default(10)
        .describe('Give up on one delivery attempt after this long'),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type WebhookConfig = z.infer<typeof webhookSchema>;

/** The environment variables the hub reads, and the setting each one sets. */
export const ENV_SETTINGS = {
  MIMAMORI_MODE: 'mode',
  MIMAMORI_DEMO_ON_NETWORK: 'demoOnNetwork',
  MIMAMORI_DATA_DIR: 'dataDir',
  MIMAMORI_LOG_LEVEL: 'logLevel',
  MIMAMORI_HTTP_HOST: 'http.host',
  MIMAMORI_HTTP_PORT: 'http.port',
  MIMAMORI_MQTT_HOST: 'mqtt.host',
  MIMAMORI_MQTT_PORT: 'mqtt.port',
  MIMAMORI_MQTT_MAX_PACKET_BYTES: 'mqtt.maxPacketBytes',
  MIMAMORI_MQTT_CONNECT_TIMEOUT_MS: 'mqtt.connectTimeoutMs',
  MIMAMORI_MQTT_MAX_CONNECTIONS_PER_DEVICE: 'mqtt.maxConnectionsPerDevice',
  MIMAMORI_MQTT_MAX_SUBSCRIPTIONS_PER_CONNECTION: 'mqtt.maxSubscriptionsPerConnection',
  MIMAMORI_MQTT_PUBLISHES_PER_MINUTE: 'mqtt.publishesPerMinute',
  MIMAMORI_MQTT_PUBLISH_BURST: 'mqtt.publishBurst',
  MIMAMORI_MQTT_CONNECTS_PER_DEVICE_PER_MINUTE: 'mqtt.connectsPerDevicePerMinute',
  MIMAMORI_MQTT_CONNECT_BURST_PER_DEVICE: 'mqtt.connectBurstPerDevice',
  MIMAMORI_MQTT_CONNECTS_PER_ADDRESS_PER_MINUTE: 'mqtt.connectsPerAddressPerMinute',
  MIMAMORI_MQTT_CONNECT_BURST_PER_ADDRESS: 'mqtt.connectBurstPerAddress',
  MIMAMORI_MQTT_FAILED_CONNECTS_BEFORE_BACKOFF: 'mqtt.failedConnectsBeforeBackoff',
  MIMAMORI_MQTT_KEEPALIVE_LIMIT_SECONDS: 'mqtt.keepaliveLimitSeconds',
  MIMAMORI_MQTT_RECEIVE_MAXIMUM: 'mqtt.receiveMaximum',
  MIMAMORI_MQTT_TOPIC_ALIAS_MAXIMUM: 'mqtt.topicAliasMaximum',
  MIMAMORI_MQTT_MAX_SESSIONS_PER_DEVICE: 'mqtt.maxSessionsPerDevice',
  MIMAMORI_MQTT_SESSION_EXPIRY_SECONDS: 'mqtt.sessionExpirySeconds',
  MIMAMORI_MQTT_THREAD: 'mqtt.thread',
  MIMAMORI_MQTT_EXTERNAL_URL: 'mqtt.external.url',
  MIMAMORI_MQTT_EXTERNAL_USERNAME: 'mqtt.external.username',
  MIMAMORI_MQTT_EXTERNAL_PASSWORD: 'mqtt.external.password',
  MIMAMORI_MQTT_EXTERNAL_CLIENT_ID: 'mqtt.external.clientId',
  MIMAMORI_CHECKIN_RESTART_GRACE_SECONDS: 'checkins.restartGraceSeconds',
  MIMAMORI_LATE_REPORT_HOURS: 'alerts.lateReportHours',
  MIMAMORI_BASELINE_CRON: 'rules.baselineCron',
  MIMAMORI_BASELINE_TIMEZONE: 'rules.baselineTimezone',
  MIMAMORI_BACKTEST_WORKERS: 'rules.backtestWorkers',
  MIMAMORI_TIMESERIES: 'timeseries.backend',
  MIMAMORI_INFLUX_URL: 'timeseries.influxUrl',
  MIMAMORI_RETENTION_DAYS: 'timeseries.retentionDays',
  MIMAMORI_TLS_CERT_FILE: 'tls.certFile',
  MIMAMORI_TLS_KEY_FILE: 'tls.keyFile',
  MIMAMORI_HEARTBEAT_URL: 'heartbeat.url',
  MIMAMORI_HEARTBEAT_INTERVAL_SECONDS: 'heartbeat.intervalSeconds',
  MIMAMORI_PUBLIC_URL: 'notify.publicUrl',
  MIMAMORI_SMTP_URL: 'notify.smtp.url',
  MIMAMORI_SMTP_FROM: 'notify.smtp.from',
  MIMAMORI_VAPID_SUBJECT: 'notify.vapid.subject',
  MIMAMORI_ALEXA_SKILL_ID: 'alexa.skillId',
  MIMAMORI_ALEXA_CLIENT_ID: 'alexa.clientId',
  MIMAMORI_ALEXA_CLIENT_SECRET: 'alexa.clientSecret',
  MIMAMORI_ALEXA_PAIRING_CODE_MINUTES: 'alexa.pairingCodeMinutes',
  MIMAMORI_ADMIN_USERNAME: 'admin.username',
  MIMAMORI_ADMIN_PASSWORD: 'admin.password',
} as const satisfies Record<string, string>;

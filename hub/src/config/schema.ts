import { availableParallelism } from 'node:os';
import { timezone } from '@mimamori/contract';
import cron from 'node-cron';
import { z } from 'zod';

/**
 * Every setting of the hub, with its default and a description. Environment variables
 * (`MIMAMORI_*`, listed in `ENV_SETTINGS`) override a JSON config file, which overrides these
 * defaults. Nothing else in the hub reads the environment.
 */
const port = z.number().int().min(0).max(65_535);

export const webhookSchema = z.object({
  url: z.url({ protocol: /^https?$/ }).describe('Where alert notifications are POSTed'),
  secret: z
    .string()
    .min(16, 'must be at least 16 characters: it signs every delivery (HMAC-SHA256)')
    .describe('Shared secret for the X-Mimamori-Signature header; one per endpoint'),
});

export const configSchema = z.object({
  mode: z
    .enum(['production', 'development', 'demo'])
    .default('production')
    .describe('production refuses demo passwords; demo seeds demo users and homes'),
  dataDir: z.string().min(1).default('.data').describe('Directory for the SQLite database'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  http: z
    .object({
      host: z.string().min(1).default('127.0.0.1').describe('Address the HTTP API binds to'),
      port: port.default(8080).describe('HTTP port (0 = any free port); MQTT over WebSocket is at /mqtt'),
    })
    .prefault({}),
  mqtt: z
    .object({
      host: z.string().min(1).default('127.0.0.1').describe('Address the embedded MQTT broker binds to'),
      port: port.default(1883).describe('MQTT port (0 = any free port)'),
      maxPacketBytes: z
        .number()
        .int()
        .min(1024)
        .max(268_435_455)
        .default(64 * 1024)
        .describe('Largest MQTT packet accepted; a bigger one closes the connection before it is read'),
      connectTimeoutMs: z.number().int().min(1000).default(10_000).describe('Close sockets that send no CONNECT'),
    })
    .prefault({}),
  timeseries: z
    .object({
      backend: z.enum(['sqlite', 'influx']).default('sqlite').describe('Where event history is queried from'),
      influxUrl: z
        .url({ protocol: /^https?$/ })
        .optional()
        .describe('InfluxDB 1.x URL with the database as path, e.g. http://influxdb:8086/mimamori'),
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
        .default(60)
        .describe('After a restart, wait this long for devices to reconnect and deliver held answers before closing overdue check-ins'),
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
        .number().int().min(0).max(16)
        .default(Math.min(4, availableParallelism()))
        .describe('Worker threads a backtest is shared out among (0: run in the main thread, blocking it)'),
    })
    .prefault({}),
  notify: z
    .object({
      webhooks: z.array(webhookSchema).default([]).describe('Signed webhooks that receive every alert'),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type WebhookConfig = z.infer<typeof webhookSchema>;

/** The environment variables the hub reads, and the setting each one sets. */
export const ENV_SETTINGS = {
  MIMAMORI_MODE: 'mode',
  MIMAMORI_DATA_DIR: 'dataDir',
  MIMAMORI_LOG_LEVEL: 'logLevel',
  MIMAMORI_HTTP_HOST: 'http.host',
  MIMAMORI_HTTP_PORT: 'http.port',
  MIMAMORI_MQTT_HOST: 'mqtt.host',
  MIMAMORI_MQTT_PORT: 'mqtt.port',
  MIMAMORI_MQTT_MAX_PACKET_BYTES: 'mqtt.maxPacketBytes',
  MIMAMORI_CHECKIN_RESTART_GRACE_SECONDS: 'checkins.restartGraceSeconds',
  MIMAMORI_BASELINE_CRON: 'rules.baselineCron',
  MIMAMORI_BASELINE_TIMEZONE: 'rules.baselineTimezone',
  MIMAMORI_BACKTEST_WORKERS: 'rules.backtestWorkers',
  MIMAMORI_TIMESERIES: 'timeseries.backend',
  MIMAMORI_INFLUX_URL: 'timeseries.influxUrl',
  MIMAMORI_ADMIN_USERNAME: 'admin.username',
  MIMAMORI_ADMIN_PASSWORD: 'admin.password',
} as const satisfies Record<string, string>;

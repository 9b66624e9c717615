import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { passwordProblem } from '../auth/index.js';
import { configSchema, ENV_SETTINGS, type Config } from './schema.js';
import { demoFacesNetwork } from './demo-exposure.js';
import { secretProblem } from './secrets.js';
import { webhookTargetProblem } from './webhook-target.js';

/** A configuration the hub must not start with; `message` names each setting and its fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Source = { [path: string]: string };

/**
 * Reads defaults ← JSON config file (`MIMAMORI_CONFIG`) ← environment into one validated
 * `Config`, or throws a `ConfigError` listing every wrong setting with where it came from.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const sources: Source = {};
  const raw: Record<string, unknown> = env.MIMAMORI_CONFIG ? readConfigFile(env.MIMAMORI_CONFIG, sources) : {};
  for (const [name, path] of Object.entries(ENV_SETTINGS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(raw, path, coerce(value, settingSchema(path.split('.'))));
    sources[path] = `${name}=${JSON.stringify(/(password|Secret)$/.test(path) ? '…' : value)}`;
  }
  if (env.MIMAMORI_WEBHOOK_URL) {
    const notify = (raw.notify ??= {}) as { webhooks?: unknown[] };
    notify.webhooks = [
      ...(notify.webhooks ?? []),
      { url: env.MIMAMORI_WEBHOOK_URL, secret: env.MIMAMORI_WEBHOOK_SECRET ?? '' },
    ];
    sources['notify.webhooks'] = 'MIMAMORI_WEBHOOK_URL / MIMAMORI_WEBHOOK_SECRET';
  }
  const parsed = configSchema.superRefine(checkCombinations).safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, sources));
  return parsed.data;
}

/** Rules that span several settings; each names the setting to fix. */
function checkCombinations(config: Config, ctx: z.RefinementCtx): void {
  if (config.timeseries.backend === 'influx' && !config.timeseries.influxUrl) {
    ctx.addIssue({
      code: 'custom',
      path: ['timeseries', 'influxUrl'],
      message: 'is required when timeseries.backend is influx (e.g. MIMAMORI_INFLUX_URL=http://influxdb:8086/mimamori)',
    });
  }
  const { username, password } = config.admin;
  if (username && (password === undefined || password.length < 12)) {
    ctx.addIssue({
      code: 'custom',
      path: ['admin', 'password'],
      message: 'must be set, at least 12 characters, when admin.username is set (MIMAMORI_ADMIN_PASSWORD)',
    });
  }
  const problem =
    username && password !== undefined && password.length >= 12 ? passwordProblem(password, username) : undefined;
  if (problem) ctx.addIssue({ code: 'custom', path: ['admin', 'password'], message: problem });
  checkSecrets(config, ctx);
  if (demoFacesNetwork(config) && !config.demoOnNetwork) {
    ctx.addIssue({
      code: 'custom',
      path: ['http', 'host'],
      message:
        'a demo hub must listen on 127.0.0.1 only: its logins are published, so on the network anyone could log in as admin. To show the demo on phones of a network you trust, also set demoOnNetwork (MIMAMORI_DEMO_ON_NETWORK=true)',
    });
  }
  const { http, mqtt } = config;
  if (!mqtt.external && http.port !== 0 && http.port === mqtt.port) {
    ctx.addIssue({
      code: 'custom',
      path: ['mqtt', 'port'],
      message: `must differ from http.port (both are ${http.port})`,
    });
  }
  if (Boolean(config.tls.certFile) !== Boolean(config.tls.keyFile)) {
    ctx.addIssue({
      code: 'custom',
      path: ['tls', config.tls.certFile ? 'keyFile' : 'certFile'],
      message: 'tls.certFile and tls.keyFile go together (MIMAMORI_TLS_CERT_FILE, MIMAMORI_TLS_KEY_FILE)',
    });
  }
  if (Boolean(config.alexa.clientId) !== Boolean(config.alexa.clientSecret)) {
    ctx.addIssue({
      code: 'custom',
      path: ['alexa', config.alexa.clientId ? 'clientSecret' : 'clientId'],
      message:
        'alexa.clientId and alexa.clientSecret go together (MIMAMORI_ALEXA_CLIENT_ID, MIMAMORI_ALEXA_CLIENT_SECRET)',
    });
  }
  if (password !== undefined && !username) {
    ctx.addIssue({ code: 'custom', path: ['admin', 'username'], message: 'is required when admin.password is set' });
  }
  const hub = { ...config.http, publicUrl: config.notify.publicUrl };
  config.notify.webhooks.forEach((hook, i) => {
    const problem = webhookTargetProblem(hook.url, hub);
    if (problem) ctx.addIssue({ code: 'custom', path: ['notify', 'webhooks', i, 'url'], message: problem });
  });
}

/** Secrets the operator sets must be neither a published demo password nor a placeholder. */
function checkSecrets(config: Config, ctx: z.RefinementCtx): void {
  const secrets: [PropertyKey[], string | undefined][] = [
    [['admin', 'password'], config.admin.password],
    [['mqtt', 'external', 'password'], config.mqtt.external?.password],
    [['alexa', 'clientSecret'], config.alexa.clientSecret],
    ...config.notify.webhooks.map((hook, i): [PropertyKey[], string] => [
      ['notify', 'webhooks', i, 'secret'],
      hook.secret,
    ]),
  ];
  for (const [path, secret] of secrets) {
    const problem = secret === undefined ? undefined : secretProblem(secret, config.mode);
    if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
  }
}

function readConfigFile(file: string, sources: Source): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read the config file MIMAMORI_CONFIG=${file}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`The config file ${file} must hold a JSON object`);
  }
  sources[''] = file;
  return parsed as Record<string, unknown>;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let node = target;
  for (const key of keys) {
    const next = node[key];
    node = typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : (node[key] = {});
  }
  node[last] = value;
}

/**
 * An environment value as the setting's type reads it: a number only where the schema wants a
 * number, so an all-digit password stays a string (issue 17). A value that does not read as its
 * type stays a string, and the schema's error names it as given.
 */
function coerce(value: string, schema: z.ZodType | undefined): unknown {
  const type = schema && unwrap(schema);
  if (type instanceof z.ZodNumber && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type instanceof z.ZodBoolean && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function describeIssues(error: z.ZodError, sources: Source): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.join('.');
    const origin =
      sources[path] ??
      sources[issue.path.slice(0, 2).join('.')] ??
      (sources[''] ? `config file ${sources['']}` : 'default');
    const help = describeSetting(issue.path);
    return `- ${path || '(root)'} (from ${origin}): ${issue.message}${help ? `. Setting: ${help}` : ''}`;
  });
  return `The hub cannot start: its configuration is wrong.\n${lines.join('\n')}\nFix these settings (see docs/configuration.md) and start again.`;
}

/** The `.describe()` text of a setting. */
function describeSetting(path: readonly PropertyKey[]): string | undefined {
  return settingSchema(path)?.description;
}

/** The schema of one setting, found by walking the config schema along its path. */
function settingSchema(path: readonly PropertyKey[]): z.ZodType | undefined {
  let node: z.ZodType | undefined = configSchema;
  for (const key of path) {
    node = unwrap(node);
    if (!(node instanceof z.ZodObject)) return undefined;
    node = (node.shape as Record<string, z.ZodType>)[String(key)];
    if (!node) return undefined;
  }
  return node;
}

function unwrap(node: z.ZodType): z.ZodType {
  let current = node;
  while (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

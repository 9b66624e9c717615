export { loadConfig, ConfigError } from './load.js';
export { configSchema, ENV_SETTINGS, type Config, type WebhookConfig } from './schema.js';

export { loadConfig, ConfigError } from './load.js';
export { configSchema, webhookSchema, ENV_SETTINGS, type Config, type WebhookConfig } from './schema.js';

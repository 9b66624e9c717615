export { loadConfig, ConfigError } from './load.js';
export { configSchema, webhookSchema, ENV_SETTINGS, type Config, type WebhookConfig } from './schema.js';
export { DEMO_ON_NETWORK_WARNING, demoFacesNetwork } from './demo-exposure.js';
export { startupProblem } from './startup-errors.js';
export { listenAddresses } from './addresses.js';

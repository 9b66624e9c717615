/** The hub as a library: what tests, benchmarks and embedders build it from. */
export { Hub, type HubDeps } from './hub.js';
export { loadConfig, configSchema, ConfigError, type Config } from './config/index.js';
export { systemClock, ManualClock, type Clock } from './time/index.js';

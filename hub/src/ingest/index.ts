export { Ingest, MAX_CLOCK_SKEW_MS, type IngestDeps, type IngestOutcome } from './ingest.js';
export { StoreUnavailable, type StoreCheck } from './store-health.js';

export { Ingest, MAX_FUTURE_SKEW_MS, type IngestDeps, type IngestOutcome } from './ingest.js';

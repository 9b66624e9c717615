#!/usr/bin/env node
// Peer benchmark (issue 7, docs/performance.md): the ingest load of bench/ingest.mjs through what a
// user would build instead of the hub — Mosquitto (started here on a free port, stopped by PID) and
// a plain Node mqtt.js subscriber batching inserts into SQLite — and through the full hub, in the
// same run. Appends the figures to bench/results/peer.jsonl.
//
//   npm run build && node bench/peer.mjs [--devices 200] [--seconds 10] [--warmup 3] [--inflight 8]
//
// Target: the hub ≥ 1.3× the Mosquitto + SQLite pipeline.
import { parseArgs } from 'node:util';
import { ingestOptions, ingestParams, measureTarget, ratios } from './lib/ingest-run.mjs';
import { appendResult } from './lib/results.mjs';
import { runBenchmark } from './lib/servers.mjs';

const { values } = parseArgs({ options: ingestOptions });
const params = ingestParams(values);

await runBenchmark(async () => {
  const mosquitto = await measureTarget('mosquitto', params);
  const hub = await measureTarget('hub', params);
  const ratio = ratios(hub, mosquitto);
  console.log(`hub / Mosquitto + SQLite subscriber: QoS 0 ${ratio.qos0}×, QoS 1 ${ratio.qos1}× (target ≥ 1.3)`);
  appendResult('peer', params, { hubToMosquittoSqlite: ratio, phases: [...mosquitto, ...hub] }, values['results-dir']);
});

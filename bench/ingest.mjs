#!/usr/bin/env node
// Ingest benchmark (issue 7, docs/performance.md): the same load — N devices publishing sensor
// events at QoS 0, then check-in answers at QoS 1 — through raw aedes with an in-process
// subscriber, and through the full hub (authentication, ACL, zod, dedupe, rules, durable
// journal; a QoS 1 PUBACK only once committed). The load generator runs in its own process.
// Prints messages/s of both, the ratio, server CPU and RSS; appends them to bench/results/ingest.jsonl.
//
//   npm run build && node bench/ingest.mjs [--devices 200] [--seconds 10] [--warmup 3] [--inflight 8]
//
// Targets: hub ≥ 0.4× raw aedes at QoS 0, ≥ 0.7× at QoS 1.
import { parseArgs } from 'node:util';
import { ingestOptions, ingestParams, measureTarget, ratios } from './lib/ingest-run.mjs';
import { appendResult } from './lib/results.mjs';
import { runBenchmark } from './lib/servers.mjs';

const { values } = parseArgs({ options: ingestOptions });
const params = ingestParams(values);

await runBenchmark(async () => {
  const aedes = await measureTarget('aedes', params);
  const hub = await measureTarget('hub', params);
  const ratio = ratios(hub, aedes);
  console.log(`hub / raw aedes: QoS 0 ${ratio.qos0}× (target ≥ 0.4), QoS 1 ${ratio.qos1}× (target ≥ 0.7)`);
  appendResult('ingest', params, { hubToAedes: ratio, phases: [...aedes, ...hub] }, values['results-dir']);
});

#!/usr/bin/env node
// API load benchmark (issue 7, docs/performance.md): the dashboard's main endpoints at a fixed
// 200 requests/s in all (autocannon, in its own process, logged in as staff) while devices
// publish 5,000 events/s over MQTT into the same full hub (the generator of bench/ingest.mjs, in
// another process). Prints p50/p99 latency per endpoint and in total, errors, and the ingest rate
// reached; appends them to bench/results/api-load.jsonl.
//
//   npm run build && node bench/api-load.mjs [--homes 200] [--rate 200] [--events 5000] [--seconds 20] [--warmup 3]
//
// Target: p99 ≤ 50 ms, no errors.
import { parseArgs } from 'node:util';
import { httpLoad } from './lib/http-load.mjs';
import { measurePhase, sleep, startLoadGenerator } from './lib/load.mjs';
import { RESULTS_DIR, appendResult } from './lib/results.mjs';
import { onCleanup, provisionHomes, runBenchmark, staffSession, startBenchHub } from './lib/servers.mjs';

const { values } = parseArgs({
  options: {
    homes: { type: 'string', default: '200' },
    rate: { type: 'string', default: '200' },
    events: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    'results-dir': { type: 'string', default: RESULTS_DIR },
  },
});
const params = {
  homes: Number(values.homes),
  rate: Number(values.rate),
  events: Number(values.events),
  seconds: Number(values.seconds),
  warmup: Number(values.warmup),
};

await runBenchmark(async () => {
  const hub = await startBenchHub();
  const devices = await provisionHomes(hub.http, params.homes);
  const { cookie } = await staffSession(hub.http);
  const homeIds = devices.map((d) => d.topicPrefix.split('/')[2]);
  const endpoints = [
    { name: 'GET /api/alerts', paths: ['/api/alerts'] },
    { name: 'GET /api/checkin-status', paths: ['/api/checkin-status'] },
    { name: 'GET /api/homes', paths: ['/api/homes'] },
    { name: 'GET /api/watching', paths: ['/api/watching'] },
    { name: 'GET /api/homes/:id/overview', paths: homeIds.map((id) => `/api/homes/${id}/overview`) },
  ];
  const generator = startLoadGenerator();
  onCleanup(() => generator.stop());
  await generator.connect(hub.address, devices);

  const ingesting = measurePhase(generator, hub, {
    qos: 0,
    payload: 'sensor',
    rate: params.events,
    seconds: params.seconds,
    warmup: params.warmup,
    idPrefix: `api-${Date.now()}`,
  });
  await sleep(params.warmup * 1000);
  const http = await httpLoad({ url: hub.http, cookie, endpoints, rate: params.rate, seconds: params.seconds });
  const ingest = await ingesting;
  await generator.close();

  for (const e of http.endpoints)
    console.log(
      `${e.name.padEnd(28)} ${String(e.requests).padStart(5)} requests  p50 ${e.p50Ms} ms  p99 ${e.p99Ms} ms  max ${e.maxMs} ms  errors ${e.errors}  non-2xx ${e.non2xx}`,
    );
  const t = http.total;
  console.log(
    `${'all'.padEnd(28)} ${String(t.requests).padStart(5)} requests (${t.requestsPerSecond}/s)  p50 ${t.p50Ms} ms  p99 ${t.p99Ms} ms  max ${t.maxMs} ms  errors ${t.errors}  non-2xx ${t.non2xx}`,
  );
  console.log(
    `meanwhile ingest: ${ingest.messagesPerSecond} events/s stored of ${params.events}/s asked (QoS 0, ${params.homes} devices), hub CPU ${ingest.serverCpuCores} cores, RSS max ${ingest.rssMaxMiB} MiB, refused ${await hub.refused()}`,
  );
  console.log(
    `target p99 ≤ 50 ms and no errors: ${t.p99Ms <= 50 && t.errors === 0 && t.non2xx === 0 ? 'met' : 'missed'}`,
  );
  appendResult('api-load', params, { http, ingest }, values['results-dir']);
});

#!/usr/bin/env node
// API load benchmark (issue 7, docs/performance.md): the dashboard's main endpoints at a steady
// 200 requests/s in all, evenly spaced (bench/lib/http-load-worker.mjs, in its own process,
// logged in as staff) while devices publish 5,000 events/s over MQTT into the same full hub (the
// generator of bench/ingest.mjs, in another process), then again while they publish as fast as
// the hub takes events. Prints p50/p99 latency per endpoint and in total, errors, the ingest rate
// reached and how busy the hub's event loop was in each; appends them to
// bench/results/api-load.jsonl.
//
//   npm run build && node bench/api-load.mjs [--homes 200] [--rate 200] [--events 5000] [--seconds 20] [--warmup 3]
//
// Targets (issue 21): p99 ≤ 50 ms at 5,000 events/s, ≤ 200 ms at the hub's maximum, no errors.
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

/** Prints one phase's figures: each endpoint's latencies, then the ingest beside them. */
function report(title, { http, ingest }, asked, target) {
  console.log(`— ${title}`);
  for (const e of http.endpoints)
    console.log(
      `${e.name.padEnd(28)} ${String(e.requests).padStart(5)} requests  p50 ${e.p50Ms} ms  p99 ${e.p99Ms} ms  max ${e.maxMs} ms  errors ${e.errors}  non-2xx ${e.non2xx}`,
    );
  const t = http.total;
  console.log(
    `${'all'.padEnd(28)} ${String(t.requests).padStart(5)} requests (${t.requestsPerSecond}/s)  p50 ${t.p50Ms} ms  p99 ${t.p99Ms} ms  max ${t.maxMs} ms  errors ${t.errors}  non-2xx ${t.non2xx}`,
  );
  console.log(
    `meanwhile ingest: ${ingest.messagesPerSecond} events/s stored (asked: ${asked}; QoS 0, ${params.homes} devices), hub CPU ${ingest.serverCpuCores} cores, event loop busy ${Math.round(ingest.eventLoopBusy * 100)} %, RSS max ${ingest.rssMaxMiB} MiB`,
  );
  console.log(
    `target p99 ≤ ${target} ms and no errors: ${t.p99Ms <= target && t.errors === 0 && t.non2xx === 0 ? 'met' : 'missed'}`,
  );
}

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

  /** The API under load while the devices publish at `rate` events/s (0: as fast as the hub takes them). */
  const underIngest = async (rate, idPrefix) => {
    const ingesting = measurePhase(generator, hub, {
      qos: 0,
      payload: 'sensor',
      rate,
      seconds: params.seconds,
      warmup: params.warmup,
      idPrefix,
    });
    await sleep(params.warmup * 1000);
    const http = await httpLoad({ url: hub.http, cookie, endpoints, rate: params.rate, seconds: params.seconds });
    return { http, ingest: await ingesting };
  };
  const steady = await underIngest(params.events, `api-${Date.now()}`);
  report(`while ingesting ${params.events} events/s`, steady, `${params.events}/s`, 50);
  // A fleet reconnecting after an outage sends all it held: the dashboard must still answer.
  const flat = await underIngest(0, `api-max-${Date.now()}`);
  report('while ingesting as fast as the hub can', flat, 'as fast as the hub takes them', 200);
  await generator.close();
  console.log(`refused ${await hub.refused()}`);
  appendResult('api-load', params, { ...steady, atMaximum: flat }, values['results-dir']);
});

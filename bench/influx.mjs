#!/usr/bin/env node
// InfluxDB benchmark (issue 7, docs/performance.md): the ingest load of bench/ingest.mjs through the
// full hub with InfluxDB 1.x as its time series — a real influxd started here on free ports in a
// temp dir — where events are journaled in SQLite first and the hub's forwarder copies them on.
// Prints the ingest rate, the forwarder's lag (journaled events not yet in InfluxDB) sampled every
// 250 ms of the window, and the catch-up time from the last publish until the forwarder's cursor
// reaches the journal head. Appends the figures to bench/results/influx.jsonl.
//
//   npm run build && node bench/influx.mjs [--devices 200] [--seconds 10] [--warmup 3] [--inflight 8]
import { parseArgs } from 'node:util';
import { ingestOptions, ingestParams, measureTarget } from './lib/ingest-run.mjs';
import { sleep } from './lib/load.mjs';
import { appendResult, round } from './lib/results.mjs';
import { provisionHomes, runBenchmark, startBenchHub, startInfluxd } from './lib/servers.mjs';

const { values } = parseArgs({ options: ingestOptions });
const params = ingestParams(values);

await runBenchmark(async () => {
  const influxd = await startInfluxd();
  const hub = await startBenchHub({ MIMAMORI_TIMESERIES: 'influx', MIMAMORI_INFLUX_URL: `${influxd.url}/mimamori` });
  const devices = await provisionHomes(hub.http, params.devices);
  const lagGauge = hub.hub.metrics.registry.getSingleMetric('mimamori_influx_forward_lag_events');
  const lag = async () => (await lagGauge.get()).values[0]?.value ?? 0;
  let samples = [];
  let influxStart;
  const phases = await measureTarget('hub+influx', params, {
    server: { ...hub, devices },
    onSample: async () => {
      samples.push(await lag());
      influxStart ??= { at: performance.now(), cpu: influxd.cpuMicros() };
    },
    afterPhase: async (_target, figures) => {
      const deadline = Date.now() + 120_000;
      while ((await lag()) > 0 && Date.now() < deadline) await sleep(20);
      const caughtUp = performance.now();
      const lagFigures = {
        forwarderLagEvents: {
          mean: Math.round(samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length)),
          max: Math.max(0, ...samples),
        },
        catchUpSeconds: round((caughtUp - figures.stoppedAt) / 1000, 2),
        lagAtEnd: await lag(),
        influxdCpuCores: round((influxd.cpuMicros() - influxStart.cpu) / 1e6 / ((caughtUp - influxStart.at) / 1000), 2),
      };
      console.log(
        `  forwarder lag during the window: mean ${lagFigures.forwarderLagEvents.mean}, max ${lagFigures.forwarderLagEvents.max} events; ` +
          `InfluxDB caught up ${lagFigures.catchUpSeconds} s after the last publish (lag now ${lagFigures.lagAtEnd}); influxd CPU ${lagFigures.influxdCpuCores} cores`,
      );
      samples = [];
      influxStart = undefined;
      return lagFigures;
    },
  });
  appendResult('influx', params, { phases }, values['results-dir']);
});

#!/usr/bin/env node
// MQTT 5 benchmark (issue 23, docs/decisions.md "MQTT 5"): the ingest load of bench/ingest.mjs from devices
// speaking 3.1.1 and 5, through the two ways the hub can serve MQTT 5 — its embedded broker (aedes 2), and
// Mosquitto 2 with the hub joined as a client (external broker mode, auth and ACL from the generated files) —
// and what idle connections cost each in memory. Appends the figures to bench/results/mqtt5.jsonl.
//
//   npm run build && node bench/mqtt5.mjs [--devices 200] [--seconds 10] [--warmup 3] [--inflight 8] [--idle 2000]
//                                          [--targets hub,hub-mosquitto] [--versions 3.1.1,5]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ingestOptions, ingestParams, measureTarget, TARGETS } from './lib/ingest-run.mjs';
import { sleep, startLoadGenerator } from './lib/load.mjs';
import { appendResult } from './lib/results.mjs';
import { cleanup, onCleanup, runBenchmark } from './lib/servers.mjs';

const { values } = parseArgs({
  options: {
    ...ingestOptions,
    idle: { type: 'string', default: '2000' },
    targets: { type: 'string', default: 'hub,hub-mosquitto' },
    versions: { type: 'string', default: '3.1.1,5' },
    'idle-child': { type: 'string' },
  },
});
const params = ingestParams(values);
const VERSIONS = [
  { label: '3.1.1', protocolVersion: 4 },
  { label: '5', protocolVersion: 5 },
].filter(({ label }) => values.versions.split(',').includes(label));

/**
 * Server-side RSS before and after `count` devices connect and sit idle: KiB per connection. Runs in a
 * process of its own (`--idle-child target:version`), so that earlier runs' garbage does not count.
 */
function idleMemory(name, count, protocolVersion) {
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--idle-child', `${name}:${protocolVersion}`, '--idle', String(count)],
    {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`idle measurement exited with ${code}`)));
  });
}

async function measureIdle(name, count, protocolVersion) {
  const target = await TARGETS[name]({ devices: count });
  await sleep(2000);
  const before = await target.rssBytes();
  const generator = startLoadGenerator();
  onCleanup(() => generator.stop());
  await generator.connect(target.address, target.devices, Number(protocolVersion));
  await sleep(3000);
  const after = await target.rssBytes();
  await generator.close();
  return {
    connections: count,
    rssBeforeMiB: Math.round(before / 2 ** 20),
    kibPerConnection: Math.round((after - before) / 1024 / count),
  };
}

if (values['idle-child']) {
  const [name, protocolVersion] = values['idle-child'].split(':');
  await runBenchmark(async () => process.send(await measureIdle(name, Number(values.idle), protocolVersion)));
  process.exit();
}

await runBenchmark(async () => {
  const runs = [];
  for (const name of values.targets.split(',')) {
    for (const { label, protocolVersion } of VERSIONS) {
      console.log(`— ${name}, MQTT ${label}`);
      const phases = await measureTarget(name, { ...params, protocolVersion });
      await cleanup();
      const idle = await idleMemory(name, Number(values.idle), protocolVersion);
      console.log(`${name} MQTT ${label}: ${idle.connections} idle connections, ${idle.kibPerConnection} KiB each`);
      runs.push({ target: name, mqtt: label, phases, idle });
    }
  }
  appendResult('mqtt5', { ...params, idle: Number(values.idle) }, { runs }, values['results-dir']);
});

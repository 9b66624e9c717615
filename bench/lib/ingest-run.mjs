// One ingest measurement, shared by ingest.mjs, peer.mjs and influx.mjs: a server ("target"),
// the same forked load generator, two phases — sensor events at QoS 0, then check-in answers at
// QoS 1 — each measured on the server side over the same window.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measurePhase, sleep, startLoadGenerator } from './load.mjs';
import { RESULTS_DIR } from './results.mjs';
import {
  anonymousDevices,
  cleanup,
  onCleanup,
  provisionHomes,
  startBenchHub,
  startHubBehindMosquitto,
  startMosquitto,
  startRawAedes,
} from './servers.mjs';
import { startSqliteSubscriber } from './sqlite-subscriber.mjs';

/** Command-line options every ingest benchmark takes (node:util parseArgs). */
export const ingestOptions = {
  devices: { type: 'string', default: '200' },
  seconds: { type: 'string', default: '10' },
  warmup: { type: 'string', default: '3' },
  inflight: { type: 'string', default: '8' },
  'results-dir': { type: 'string', default: RESULTS_DIR },
};

export function ingestParams(values) {
  return {
    devices: Number(values.devices),
    seconds: Number(values.seconds),
    warmup: Number(values.warmup),
    inflight: Number(values.inflight),
  };
}

export const PHASES = [
  { qos: 0, payload: 'sensor' },
  { qos: 1, payload: 'checkin' },
];

/**
 * Servers by name. Each returns `{address, devices, processed(), refused?(), cpuMicros(), rssBytes(), extra?}`;
 * whatever it starts is stopped by `cleanup()`.
 */
export const TARGETS = {
  /** aedes alone, subscribing in-process: the ceiling the hub is measured against. */
  async aedes({ devices }) {
    const server = await startRawAedes();
    return { ...server, devices: anonymousDevices(devices) };
  },
  /** The full hub: authentication, ACL, zod, dedupe, journal (group commits), rules, check-ins. */
  async hub({ devices }, env = {}) {
    const server = await startBenchHub(env);
    return { ...server, devices: await provisionHomes(server.http, devices) };
  },
  /** The full hub in external broker mode behind Mosquitto (auth and ACL from the generated files). */
  async 'hub-mosquitto'({ devices }) {
    return startHubBehindMosquitto(devices);
  },
  /** Mosquitto + a Node subscriber batching into SQLite; CPU and RSS are both processes together. */
  async mosquitto({ devices }) {
    const broker = await startMosquitto();
    const dir = mkdtempSync(join(tmpdir(), 'mimamori-bench-peer-'));
    onCleanup(async () => rmSync(dir, { recursive: true, force: true }));
    const subscriber = await startSqliteSubscriber(broker.address, dir);
    onCleanup(() => subscriber.stop());
    return {
      address: broker.address,
      devices: anonymousDevices(devices),
      processed: subscriber.processed,
      refused: subscriber.refused,
      cpuMicros: () => broker.cpuMicros() + process.cpuUsage().user + process.cpuUsage().system,
      rssBytes: () => broker.rssBytes() + process.memoryUsage().rss,
    };
  },
};

/**
 * Measures one target through both phases (or `phases`), then stops everything it started.
 * `server` may be given ready-made; `onSample(target)` runs every 250 ms of a window,
 * `afterPhase(target, figures)` once a phase's load has stopped (its result joins the figures).
 */
export async function measureTarget(name, params, { server, phases = PHASES, onSample, afterPhase } = {}) {
  const target = server ?? (await TARGETS[name](params));
  const generator = startLoadGenerator();
  onCleanup(() => generator.stop());
  await generator.connect(target.address, target.devices, params.protocolVersion);
  const results = [];
  for (const phase of phases) {
    const figures = await measurePhase(generator, target, {
      ...phase,
      ...params,
      idPrefix: `${name}-q${phase.qos}-${Date.now()}`,
      onSample: onSample && (() => onSample(target)),
    });
    figures.refused = (await target.refused?.()) ?? 0;
    Object.assign(figures, await afterPhase?.(target, figures));
    delete figures.stoppedAt; // a clock reading of this process, meaningless in the results
    results.push({ target: name, ...figures });
    console.log(describePhase(name, figures));
    await quiesce(target);
  }
  await generator.close();
  await cleanup();
  return results;
}

/** Waits until the server has processed what it was sent (its count still for 500 ms; at most 60 s). */
async function quiesce(target) {
  const until = Date.now() + 60_000;
  for (
    let last = -1, now = await target.processed();
    now !== last && Date.now() < until;
    last = now, now = await target.processed()
  )
    await sleep(500);
}

export function describePhase(name, f) {
  const errors = f.generator.errors.length > 0 ? `; generator errors: ${f.generator.errors.join(', ')}` : '';
  return (
    `${name.padEnd(9)} QoS ${f.qos} ${f.payload.padEnd(7)}: ${String(f.messagesPerSecond).padStart(7)} msg/s stored/delivered ` +
    `(generator sent ${f.generator.sentPerSecond}/s), server CPU ${f.serverCpuCores} cores, RSS max ${f.rssMaxMiB} MiB, refused ${f.refused}${errors}`
  );
}

/** `a / b` per QoS, rounded to two digits: the figure each target is stated in. */
export function ratios(numerator, denominator) {
  return Object.fromEntries(
    PHASES.map(({ qos }) => {
      const a = numerator.find((r) => r.qos === qos)?.messagesPerSecond;
      const b = denominator.find((r) => r.qos === qos)?.messagesPerSecond;
      return [`qos${qos}`, a && b ? Number((a / b).toFixed(2)) : null];
    }),
  );
}

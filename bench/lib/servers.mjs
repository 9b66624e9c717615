// Servers the benchmarks start and always stop: the full hub in-process, raw aedes, Mosquitto and
// influxd as child processes on free loopback ports with temp dirs. Every start registers its
// stop with `cleanup`, which runs on success, on failure and on Ctrl-C.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { Aedes } from 'aedes';
import { pino } from 'pino';
import { loadConfig } from '../../hub/dist/config/index.js';
import { Hub } from '../../hub/dist/hub.js';
import { systemClock } from '../../hub/dist/time/index.js';
import { sleep } from './load.mjs';

const MAIN = new URL('../../hub/dist/main.js', import.meta.url).pathname;

const stops = [];
/** Stops everything started so far, newest first; safe to call twice. */
export async function cleanup() {
  while (stops.length > 0) {
    const stop = stops.pop();
    await stop().catch((error) => console.error(`cleanup: ${error.message}`));
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void cleanup().then(() => process.exit(130)));
/** Registers a stop to run at cleanup. */
export const onCleanup = (stop) => stops.push(stop);

/** Runs `main`, always cleans up, and exits 1 with the error when it fails. */
export async function runBenchmark(main) {
  try {
    await main();
    await cleanup();
  } catch (error) {
    console.error(error);
    await cleanup();
    process.exitCode = 1;
  }
}

export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const tempDir = (prefix) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

/** This process as the server side: its CPU time and RSS. */
export const thisProcess = {
  cpuMicros: () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  },
  rssBytes: () => process.memoryUsage().rss,
};

/** CPU time (µs) and RSS (bytes) of another process, from /proc (Linux). */
export function otherProcess(pid) {
  const ticksPerSecond = 100; // USER_HZ on Linux
  return {
    cpuMicros: () => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond; // utime, stime
    },
    rssBytes: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
  };
}

/**
 * aedes with nothing of the hub: no authentication, no ACL, no ingest; an in-process subscriber
 * to every event counts what the broker delivered.
 */
export async function startRawAedes() {
  const aedes = await Aedes.createBroker();
  let delivered = 0;
  aedes.subscribe(
    'mimamori/v1/+/+/event',
    (_packet, done) => {
      delivered += 1;
      done();
    },
    () => {},
  );
  const server = createServer(aedes.handle);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const stop = async () => {
    await new Promise((resolve) => aedes.close(resolve));
    await new Promise((resolve) => server.close(resolve));
  };
  onCleanup(stop);
  return { address: { host: '127.0.0.1', port: server.address().port }, processed: () => delivered, ...thisProcess };
}

/**
 * MIMAMORI_MQTT_THREAD=false in the benchmark's environment measures the hub with its broker on
 * the main thread, as before issue 21's third round; the hubs the benchmarks start take it from here.
 */
export function brokerThreadSetting() {
  const thread = process.env.MIMAMORI_MQTT_THREAD;
  return thread ? { MIMAMORI_MQTT_THREAD: thread } : {};
}

/**
 * The full hub (`hub/dist/hub.js`) in this process, as main.ts builds it: real config, a temp data
 * dir, the system clock, demo users (staff logs in), embedded aedes and HTTP on free ports.
 */
export async function startBenchHub(env = {}) {
  const dataDir = tempDir('mimamori-bench-hub-');
  const config = loadConfig({
    MIMAMORI_MODE: 'demo',
    MIMAMORI_DATA_DIR: dataDir,
    MIMAMORI_HTTP_HOST: '127.0.0.1',
    MIMAMORI_HTTP_PORT: '0',
    MIMAMORI_MQTT_HOST: '127.0.0.1',
    MIMAMORI_MQTT_PORT: '0',
    // The benchmark's 200 devices each publish far beyond any real sensor: lift the per-device rate limit.
    MIMAMORI_MQTT_PUBLISHES_PER_MINUTE: '1000000000',
    MIMAMORI_MQTT_PUBLISH_BURST: '1000000000',
    ...brokerThreadSetting(),
    ...env,
  });
  const hub = new Hub({ config, clock: systemClock, logger: pino({ level: 'warn' }) });
  await hub.start();
  onCleanup(() => hub.stop());
  const sum = async (counter) => (await counter.get()).values.reduce((total, { value }) => total + value, 0);
  return {
    hub,
    http: `http://127.0.0.1:${hub.httpPort}`,
    address: { host: '127.0.0.1', port: hub.mqttPort },
    /** Events accepted into the journal (committed), from the hub's own counter. */
    processed: () => sum(hub.metrics.mqttMessages),
    /** Rejected or duplicate messages: a valid load has none. */
    refused: async () => (await sum(hub.metrics.mqttRejected)) + (await sum(hub.metrics.mqttDuplicates)),
    ...thisProcess,
  };
}

/** Logs in as the demo staff user; returns the session cookie and a JSON fetch with it. */
export async function staffSession(http) {
  const login = await fetch(`${http}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'staff', password: 'mimamori-demo-staff' }),
  });
  if (!login.ok) throw new Error(`staff login failed: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const api = async (method, path, body) => {
    const response = await fetch(`${http}${path}`, {
      method,
      headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return { cookie, api };
}

/**
 * Registers `count` homes, each with a resident and one speaker, through the API as staff does,
 * and issues each speaker its credentials: `{clientId, username, password, topicPrefix}`.
 */
export async function provisionHomes(http, count) {
  const { api } = await staffSession(http);
  const devices = [];
  for (let i = 0; i < count; i += 20) {
    devices.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(20, count - i) }, async (_, j) => {
          const homeId = `bench-home-${i + j + 1}`;
          await api('POST', '/api/homes', { id: homeId, name: `ベンチ ${i + j + 1} 宅` });
          await api('POST', `/api/homes/${homeId}/residents`, { id: `${homeId}-r1`, name: '佐藤 ハナ' });
          await api('POST', '/api/devices', { id: `${homeId}-spk`, homeId, kind: 'speaker' });
          const credentials = await api('POST', `/api/devices/${homeId}-spk/credentials`);
          return { clientId: credentials.username, ...credentials };
        }),
      )),
    );
  }
  return devices;
}

/** Device identities for servers without authentication (raw aedes, Mosquitto): same topics as the hub's. */
export const anonymousDevices = (count) =>
  Array.from({ length: count }, (_, i) => ({
    clientId: `bench-home-${i + 1}-spk`,
    topicPrefix: `mimamori/v1/bench-home-${i + 1}/bench-home-${i + 1}-spk`,
  }));

/** Spawns a server, registers its stop (SIGTERM by PID, SIGKILL after 10 s), returns the child. */
function spawnServer(command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  child.on('error', (error) => (stderr += error.message));
  onCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  });
  return { child, stderr: () => stderr };
}

async function waitFor(ready, server, what) {
  const deadline = Date.now() + 30_000;
  while (!(await ready())) {
    if (server.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`${what} did not start:\n${server.stderr()}`);
    await sleep(100);
  }
}

const canConnect = (port) =>
  new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
/**
 * Debian's Mosquitto on a free port with a temp config: anonymous, no persistence, and the
 * queue and in-flight limits raised so a fan-in subscriber is not throttled by the defaults
 * (20 in flight, 1,000 queued — with those, QoS 1 messages are dropped under load).
 */
export async function startMosquitto() {
  const dir = tempDir('mimamori-bench-mosquitto-');
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(
    config,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'log_dest none',
      'max_inflight_messages 1000',
      'max_queued_messages 1000000',
      'max_queued_bytes 0',
      '',
    ].join('\n'),
  );
  const server = spawnServer('/usr/sbin/mosquitto', ['-c', config]);
  await waitFor(() => canConnect(port), server, 'mosquitto');
  return { address: { host: '127.0.0.1', port }, pid: server.child.pid, ...otherProcess(server.child.pid) };
}

/**
 * The hub in external broker mode behind Debian's Mosquitto, set up as docs/scaling.md tells operators to:
 * Mosquitto checks device passwords and topics from the files `mimamori-hub mosquitto-config` writes from the
 * hub's registry (used as generated), and the hub joins it as one MQTT 5 client. `count` homes are registered
 * through the API, then the files are written again and Mosquitto reloaded. CPU and RSS are both processes'.
 */
export async function startHubBehindMosquitto(count) {
  const dir = tempDir('mimamori-bench-external-');
  const dataDir = tempDir('mimamori-bench-external-hub-');
  const port = await freePort();
  const env = {
    MIMAMORI_DATA_DIR: dataDir,
    MIMAMORI_MQTT_EXTERNAL_URL: `mqtt://127.0.0.1:${port}`,
    MIMAMORI_MQTT_EXTERNAL_USERNAME: 'bench-hub',
    MIMAMORI_MQTT_EXTERNAL_PASSWORD: 'bench-hub-broker-password',
    MIMAMORI_MQTT_EXTERNAL_CLIENT_ID: 'bench-hub',
  };
  const writeFiles = () =>
    new Promise((resolve, reject) => {
      const cli = spawn(process.execPath, [MAIN, 'mosquitto-config', dir, String(port)], {
        env: { PATH: process.env.PATH ?? '', MIMAMORI_MODE: 'demo', ...env },
        stdio: 'ignore',
      });
      cli.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mosquitto-config exited with ${code}`))));
    });
  await writeFiles();
  const config = join(dir, 'mosquitto.conf');
  // Run as root (a benchmark machine's user), Mosquitto would switch to its own user, which cannot read a temp dir.
  const user = process.getuid?.() === 0 ? 'user root\n' : '';
  writeFileSync(config, `${readFileSync(join(dir, 'mimamori.conf'), 'utf8')}${user}log_dest none\n`);
  const broker = spawnServer('/usr/sbin/mosquitto', ['-c', config]);
  await waitFor(() => canConnect(port), broker, 'mosquitto');
  const hub = await startBenchHub(env);
  const devices = await provisionHomes(hub.http, count);
  await writeFiles();
  process.kill(broker.child.pid, 'SIGHUP');
  await sleep(500);
  const mosquitto = otherProcess(broker.child.pid);
  return {
    ...hub,
    address: { host: '127.0.0.1', port },
    devices,
    cpuMicros: () => hub.cpuMicros() + mosquitto.cpuMicros(),
    rssBytes: () => hub.rssBytes() + mosquitto.rssBytes(),
  };
}

/** Debian's influxd (InfluxDB 1.x) on free ports with a temp data dir, as tests/support/influxd.ts starts it. */
export async function startInfluxd() {
  const dir = tempDir('mimamori-bench-influxd-');
  const [httpPort, rpcPort] = [await freePort(), await freePort()];
  const config = join(dir, 'influxd.conf');
  writeFileSync(
    config,
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpcPort}"`,
      '[meta]',
      `  dir = "${dir}/meta"`,
      '[data]',
      `  dir = "${dir}/data"`,
      `  wal-dir = "${dir}/wal"`,
      '  query-log-enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${httpPort}"`,
      '  log-enabled = false',
      '[logging]',
      '  level = "error"',
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${httpPort}`;
  const server = spawnServer('influxd', ['run', '-config', config]);
  await waitFor(
    () =>
      fetch(`${url}/ping`).then(
        (r) => r.status === 204,
        () => false,
      ),
    server,
    'influxd',
  );
  return { url, pid: server.child.pid, ...otherProcess(server.child.pid) };
}

// The hub under test in bench/scale.mjs, in its own process so that its RSS is its own.
// Talks to the benchmark over IPC: `start` → `started`, `jump` (move the clock), `rss`, `stop`.
//
// The clock is real time plus an offset: time runs at its real speed (every latency measured
// is a real one), and `jump` moves the offset forward to skip the idle hour before a deadline,
// re-arming the pending timers for the new "now" as the system clock would have fired them.
import { connect } from 'node:net';
import { clearTimeout, setTimeout } from 'node:timers';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../hub/dist/config/index.js';
import { Hub } from '../../hub/dist/hub.js';
import { brokerThreadSetting } from './servers.mjs';

class OffsetClock {
  #offset;
  #timers = new Set();

  constructor(offset) {
    this.#offset = offset;
  }

  now() {
    return Date.now() + this.#offset;
  }

  setTimer(callback, delayMs) {
    const timer = { at: this.now() + Math.max(0, delayMs), callback, handle: undefined };
    const fire = () => {
      this.#timers.delete(timer);
      callback();
    };
    timer.fire = fire;
    timer.handle = setTimeout(fire, Math.max(0, delayMs));
    timer.handle.unref();
    this.#timers.add(timer);
    return () => {
      clearTimeout(timer.handle);
      this.#timers.delete(timer);
    };
  }

  /** Moves "now" forward; timers then fire when the new time reaches them (at once if passed). */
  jump(offset) {
    if (offset < this.#offset) throw new Error('the clock only moves forward');
    this.#offset = offset;
    for (const timer of this.#timers) {
      clearTimeout(timer.handle);
      timer.handle = setTimeout(timer.fire, Math.max(0, timer.at - this.now()));
      timer.handle.unref();
    }
  }
}

const dataDir = process.env.SCALE_DATA_DIR;
const clock = new OffsetClock(Number(process.env.SCALE_CLOCK_OFFSET));
const config = loadConfig({
  MIMAMORI_DATA_DIR: dataDir,
  MIMAMORI_HTTP_HOST: '127.0.0.1',
  MIMAMORI_HTTP_PORT: '0',
  MIMAMORI_MQTT_HOST: '127.0.0.1',
  MIMAMORI_MQTT_PORT: '0',
  MIMAMORI_LOG_LEVEL: process.env.SCALE_LOG_LEVEL ?? 'info',
  // All 100,000 speakers connect from 127.0.0.1 here; in the field they come from as many homes.
  MIMAMORI_MQTT_CONNECT_BURST_PER_ADDRESS: '1000000',
  ...brokerThreadSetting(),
  ...(process.env.SCALE_WEBHOOK_URL && {
    MIMAMORI_WEBHOOK_URL: process.env.SCALE_WEBHOOK_URL,
    MIMAMORI_WEBHOOK_SECRET: 'scale-bench-secret',
  }),
});
// Info-level logging as in production, to a file so that the benchmark's output stays readable.
const logger = pino({ level: config.logLevel }, pino.destination({ dest: join(dataDir, 'hub.log'), sync: false }));
const hub = new Hub({ config, clock, logger });
const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20);

const answers = (port) =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

async function start() {
  const started = performance.now();
  await hub.start();
  const hubStartMs = performance.now() - started;
  // "Answers": the MQTT port accepts a connection and GET /health returns 200.
  for (;;) {
    const health = await fetch(`http://127.0.0.1:${hub.httpPort}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (health && (await answers(hub.mqttPort))) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    hubStartMs,
    answeringMs: performance.now() - started,
    mqttPort: hub.mqttPort,
    httpPort: hub.httpPort,
    rssMiB: rss(),
  };
}

process.on('message', (message) => {
  const reply = (body) => process.send({ id: message.id, ...body });
  const fail = (error) => reply({ error: error instanceof Error ? error.stack : String(error) });
  switch (message.type) {
    case 'start':
      start().then(reply, fail);
      break;
    case 'jump':
      clock.jump(message.offset);
      reply({ now: clock.now() });
      break;
    case 'rss':
      reply({ rssMiB: rss(), heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20) });
      break;
    case 'stop':
      hub.stop().then(() => {
        logger.flush();
        reply({});
        process.disconnect();
      }, fail);
      break;
  }
});
process.send({ type: 'ready' });

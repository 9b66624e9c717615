// The parent's handle on the load generator (load-worker.mjs in a forked process) and the one way
// every benchmark measures a phase: same generator, same window, same server-side counting.
import { fork } from 'node:child_process';
import { clearInterval, setInterval, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { round } from './results.mjs';

const WORKER = fileURLToPath(new URL('./load-worker.mjs', import.meta.url));

/** Forks the generator; `stop()` ends it by its PID if it is still there. */
export function startLoadGenerator() {
  const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const request = (message) =>
    new Promise((resolve, reject) => {
      const onMessage = (reply) => {
        if (reply.ok !== message.cmd && !reply.error) return;
        cleanup();
        if (reply.error) reject(new Error(`load generator: ${reply.error}`));
        else resolve(reply);
      };
      const onExit = (code) => {
        cleanup();
        reject(new Error(`load generator exited with ${code}`));
      };
      const cleanup = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send(message);
    });
  return {
    pid: child.pid,
    /** Opens one MQTT connection per device ({clientId, username?, password?, topicPrefix}), over 3.1.1 (4) or 5. */
    connect: (address, devices, protocolVersion = 4) => request({ cmd: 'connect', address, devices, protocolVersion }),
    /** Publishes for `seconds`: `rate` messages/s overall, or as fast as the server takes them when 0. */
    run: (options) => request({ cmd: 'run', ...options }),
    close: () => request({ cmd: 'close' }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await exited;
    },
  };
}

/**
 * Runs one phase and measures it on the server side: the generator publishes for
 * `warmup + seconds`; the window is the last `seconds`, in which the server's processed count,
 * CPU time and RSS are sampled. `server` gives `processed()` (messages stored or delivered so
 * far), `cpuMicros()` (user + system CPU of the server side) and `rssBytes()`.
 */
export async function measurePhase(
  generator,
  server,
  { qos, payload, seconds, warmup, rate = 0, inflight = 8, idPrefix, onSample },
) {
  const generated = generator.run({ qos, payload, seconds: warmup + seconds, rate, inflight, idPrefix });
  await sleep(warmup * 1000);
  const start = {
    at: performance.now(),
    processed: await server.processed(),
    cpu: await server.cpuMicros(),
    loop: performance.eventLoopUtilization(),
  };
  let rssMax = 0;
  const sampler = setInterval(async () => {
    rssMax = Math.max(rssMax, await server.rssBytes());
    await onSample?.();
  }, 250);
  await sleep(seconds * 1000);
  const end = {
    at: performance.now(),
    processed: await server.processed(),
    cpu: await server.cpuMicros(),
    loop: performance.eventLoopUtilization(start.loop),
  };
  clearInterval(sampler);
  rssMax = Math.max(rssMax, await server.rssBytes());
  const sent = await generated;
  const stoppedAt = performance.now();
  const wall = (end.at - start.at) / 1000;
  return {
    qos,
    payload,
    messagesPerSecond: Math.round((end.processed - start.processed) / wall),
    windowSeconds: round(wall, 1),
    serverCpuCores: round((end.cpu - start.cpu) / 1e6 / wall, 2),
    // Of this process's main thread: the hub's event loop, where the hub runs in the benchmark's process.
    eventLoopBusy: round(end.loop.utilization, 2),
    rssMaxMiB: Math.round(rssMax / 2 ** 20),
    stoppedAt,
    generator: {
      sent: sent.sent,
      acked: sent.acked,
      sentPerSecond: Math.round(sent.sent / sent.seconds),
      errors: sent.errors,
    },
  };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

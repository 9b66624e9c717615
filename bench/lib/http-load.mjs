// The parent's handle on the HTTP load (http-load-worker.mjs in a forked process).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './servers.mjs';

const WORKER = fileURLToPath(new URL('./http-load-worker.mjs', import.meta.url));

/**
 * Requests `endpoints` ([{name, paths}], paths taken in turn) at `rate` requests/s in all for
 * `seconds`, with the session cookie; resolves to exact p50/p99 per endpoint and in total, with
 * error and non-2xx counts.
 */
export function httpLoad({ url, cookie, endpoints, rate, seconds }) {
  const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGTERM');
  });
  return new Promise((resolve, reject) => {
    child.once('message', (result) => {
      child.disconnect();
      resolve(result);
    });
    child.once('exit', (code) => reject(new Error(`HTTP load exited with ${code} before reporting`)));
    child.send({ url, cookie, endpoints, rate, seconds });
  });
}

// HTTP load in its own process (forked by http-load.mjs). Requests go out at a steady rate, evenly
// spaced and taken by the endpoints in turn, whether or not earlier ones were answered: an open
// loop, as many dashboards polling on their own would ask. Each is timed from when it was due to
// go out, so a server that falls behind shows it in every request it holds up, not only in the
// first (no coordinated omission). autocannon's fixed rate sent each second's requests at once,
// on as many connections as it had, and measured the queue that burst made (docs/performance.md).
import { Agent, request } from 'node:http';
import { clearInterval, setInterval } from 'node:timers';

/** A request not answered by then counts as an error. */
const TIMEOUT_MS = 10_000;
/** How often the pacer looks for requests that are due. */
const TICK_MS = 2;

const percentile = (sorted, p) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const summarise = (times, errors, non2xx) => {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    requests: times.length,
    errors,
    non2xx,
    p50Ms: Number(percentile(sorted, 50).toFixed(1)),
    p99Ms: Number(percentile(sorted, 99).toFixed(1)),
    maxMs: Number((sorted.at(-1) ?? 0).toFixed(1)),
  };
};

/** GETs `path`; settles with the status, or an error, once the whole response is read. */
function get(agent, base, path, cookie) {
  return new Promise((resolve) => {
    const req = request(new URL(path, base), { agent, headers: { cookie }, timeout: TIMEOUT_MS }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode }));
      // Cut off mid-answer (the time-out destroyed it): an error, whichever of these comes.
      res.once('error', (error) => resolve({ error }));
      res.once('close', () => resolve(res.complete ? { status: res.statusCode } : { error: new Error('cut off') }));
    });
    req.once('timeout', () => req.destroy(new Error('timed out')));
    req.once('error', (error) => resolve({ error }));
    req.end();
  });
}

process.on('message', async ({ url, cookie, endpoints, rate, seconds }) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const stats = endpoints.map(({ name, paths }) => ({ name, paths, times: [], errors: 0, non2xx: 0, next: 0 }));
  const total = Math.round(rate * seconds);
  const startedAt = performance.now();
  const pending = [];
  let sent = 0;
  await new Promise((done) => {
    const pace = setInterval(() => {
      for (; sent < total && startedAt + (sent * 1000) / rate <= performance.now(); sent++) {
        const dueAt = startedAt + (sent * 1000) / rate;
        const endpoint = stats[sent % stats.length];
        const path = endpoint.paths[endpoint.next++ % endpoint.paths.length];
        pending.push(
          get(agent, url, path, cookie).then((outcome) => {
            if (outcome.error) return void (endpoint.errors += 1);
            endpoint.times.push(performance.now() - dueAt);
            if (outcome.status < 200 || outcome.status > 299) endpoint.non2xx += 1;
          }),
        );
      }
      if (sent === total) {
        clearInterval(pace);
        done();
      }
    }, TICK_MS);
  });
  await Promise.all(pending);
  agent.destroy();
  const results = stats.map((e) => ({ name: e.name, ...summarise(e.times, e.errors, e.non2xx) }));
  const all = summarise(
    stats.flatMap((e) => e.times),
    stats.reduce((n, e) => n + e.errors, 0),
    stats.reduce((n, e) => n + e.non2xx, 0),
  );
  process.send({ endpoints: results, total: { ...all, requestsPerSecond: Math.round(all.requests / seconds) } });
});

// autocannon in its own process (forked by http-load.mjs): one instance per endpoint, each at a
// fixed rate, every response time recorded so that percentiles are exact over all of them.
import autocannon from 'autocannon';

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

process.on('message', async ({ url, cookie, endpoints, rate, seconds }) => {
  const perEndpoint = Math.max(1, Math.round(rate / endpoints.length));
  const all = [];
  const results = await Promise.all(
    endpoints.map(
      ({ name, paths }) =>
        new Promise((resolve, reject) => {
          const times = [];
          let non2xx = 0;
          let next = 0;
          const instance = autocannon(
            {
              url,
              connections: 4,
              overallRate: perEndpoint,
              duration: seconds,
              headers: { cookie },
              requests: [
                { method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) },
              ],
            },
            (error, result) =>
              error ? reject(error) : resolve({ name, ...summarise(times, result.errors + result.timeouts, non2xx) }),
          );
          instance.on('response', (_client, statusCode, _bytes, responseTime) => {
            times.push(responseTime);
            all.push(responseTime);
            if (statusCode < 200 || statusCode > 299) non2xx += 1;
          });
        }),
    ),
  );
  const total = summarise(
    all,
    results.reduce((n, r) => n + r.errors, 0),
    results.reduce((n, r) => n + r.non2xx, 0),
  );
  process.send({ endpoints: results, total: { ...total, requestsPerSecond: Math.round(total.requests / seconds) } });
});

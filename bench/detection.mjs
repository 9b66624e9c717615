#!/usr/bin/env node
// Detection benchmark (issue 18, docs/rules.md "Detection benchmark"): a population of simulated homes
// (device-sim: ordinary lives drawn from published descriptions of real homes, plus one injected
// incident in six homes of seven), every default rule replayed over each home through the hub's own
// import and BacktestRunner, and the alerts judged against the generator's record of what happened.
// Prints false alerts per resident-month per rule on ordinary days, incidents per resident-month,
// detection rate and time to detect per incident kind, and alerts per incident, and appends them to
// bench/results/detection.jsonl with the machine they came from.
//
//   npm run build && node bench/detection.mjs [--homes 210] [--days 60] [--warmup 28] [--seed 1001]
//                                             [--workers <cores>] [--results-dir bench/results]
//
// Seeds 1–999 are for tuning rules; the benchmark's figures come from seed 1001 (and later seeds).
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { REPLAYED_RULES } from './lib/detection-home.mjs';
import { BENCHMARK_SEED, TUNING_SEEDS, isTuningSeed, population } from './lib/detection-population.mjs';
import { CONDITION_RULES, score } from './lib/detection-score.mjs';
import { RESULTS_DIR, appendResult } from './lib/results.mjs';

const { values } = parseArgs({
  options: {
    homes: { type: 'string', default: '210' },
    days: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '28' },
    seed: { type: 'string', default: String(BENCHMARK_SEED) },
    workers: { type: 'string', default: String(availableParallelism()) },
    'results-dir': { type: 'string', default: RESULTS_DIR },
  },
});
const [homes, days, warmup, seed, workers] = ['homes', 'days', 'warmup', 'seed', 'workers'].map((k) =>
  Number(values[k]),
);
const DAY = 86_400_000;
const end = Date.parse('2026-11-23T00:00:00+09:00');
const from = end - days * DAY;
const tuning = isTuningSeed(seed);

const options = population({ seed, homes, days, warmup, end });
console.log(
  `detection benchmark: ${homes} homes, ${warmup} days of warm-up + ${days} days replayed, seed ${seed} ` +
    `(${tuning ? `a TUNING population, seeds ${TUNING_SEEDS.from}–${TUNING_SEEDS.to}` : 'the benchmark population'}), ${workers} workers`,
);
const started = performance.now();
const results = await replayAll(options, from, Math.max(1, Math.min(workers, homes)));
const seconds = Math.round((performance.now() - started) / 100) / 10;
const figures = score(results, REPLAYED_RULES);
const events = results.reduce((sum, r) => sum + r.events, 0);
print(figures, events, seconds);
appendResult(
  'detection',
  { homes, days, warmup, seed, tuning, workers, rules: REPLAYED_RULES },
  { ...figures, events, seconds },
  values['results-dir'],
);

/**
 * Every home replayed as generated, then, for each sensor that died in the replayed days, the
 * same home once more with that sensor never dying: what the home would have raised anyway,
 * so that the score tells the incidents a death caused from the home's ordinary ones.
 */
async function replayAll(options, from, n) {
  const homes = await replayInWorkers(
    options,
    from,
    n,
    Array.from({ length: options.homes }, (_, index) => ({ index, spared: [] })),
  );
  const deaths = homes.flatMap((home) =>
    home.truth
      .filter((t) => t.kind === 'dead sensor' && t.startsAt >= home.from)
      .map((t) => ({ index: home.index, spared: [t.deviceId] })),
  );
  const spared = await replayInWorkers(options, from, n, deaths);
  for (const home of homes)
    home.withSensorWorking = Object.fromEntries(
      spared.filter((s) => s.index === home.index).map((s) => [s.spared[0], s.alerts]),
    );
  return homes.sort((a, b) => a.homeId.localeCompare(b.homeId));
}

/** Shares the replays out among worker threads (replay i to worker i mod n) and gathers their results. */
async function replayInWorkers(options, from, n, replays) {
  const results = [];
  const what = replays.some((r) => r.spared.length > 0) ? 'homes replayed with a sensor spared' : 'homes replayed';
  await Promise.all(
    Array.from({ length: Math.min(n, replays.length) }, (_, w) => {
      const worker = new Worker(new URL('./lib/detection-worker.mjs', import.meta.url), {
        workerData: { options, replays: replays.filter((_, i) => i % n === w), from },
      });
      worker.on('message', (result) => {
        results.push(result);
        if (results.length % 10 === 0 || results.length === replays.length)
          process.stderr.write(`  ${results.length}/${replays.length} ${what}\n`);
      });
      return new Promise((resolve, reject) => {
        worker.once('error', reject);
        worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${w} exited with ${code}`))));
      });
    }),
  );
  return results;
}

function print(f, events, seconds) {
  const num = (x) => (x === null ? '–' : String(x));
  console.log(
    `\n${f.residentMonths.replayed} resident-months replayed (${events} events), ${f.residentMonths.ordinary} of them ordinary days`,
  );
  console.log(`false alerts per resident-month on ordinary days: ${num(f.falseAlertsPerResidentMonth)}`);
  console.log(
    `false incidents per resident-month (the hub's incident fold, alerts/incident.ts): ${num(f.falseIncidentsPerResidentMonth)}`,
  );
  console.log('\nrule                 false alerts   per resident-month');
  for (const [rule, { count, perResidentMonth }] of Object.entries(f.falseAlertsByRule))
    console.log(`${rule.padEnd(20)} ${String(count).padStart(12)}   ${num(perResidentMonth).padStart(18)}`);
  console.log('\nfalse incidents by the rule that opened them, per resident-month:');
  for (const [rule, { count, perResidentMonth }] of Object.entries(f.falseIncidentsByLead))
    console.log(`${rule.padEnd(20)} ${String(count).padStart(12)}   ${num(perResidentMonth).padStart(18)}`);
  console.log(
    `condition reports (true by construction, not judged): ${[...CONDITION_RULES].map((r) => `${r} ${f.conditionReports[r] ?? 0}`).join(', ')}`,
  );
  console.log(
    '\nincident                        n  found  rate %  median h   p90 h  alerts each  incidents each  found first by',
  );
  for (const k of f.incidents) {
    const by = Object.entries(k.firstRules)
      .sort(([, a], [, b]) => b - a)
      .map(([rule, n]) => `${rule} ${n}`)
      .join(', ');
    console.log(
      `${k.kind.padEnd(30)} ${String(k.count).padStart(2)} ${String(k.detected).padStart(6)} ${String(k.detectionRate).padStart(7)} ` +
        `${num(k.timeToDetectHours.median).padStart(9)} ${num(k.timeToDetectHours.p90).padStart(7)} ${String(k.alertsPerIncident).padStart(12)} ` +
        `${String(k.incidentsPerIncident).padStart(15)}  ${by || '–'}`,
    );
  }
  for (const k of f.incidents.filter((k) => k.incidentsCausedPerIncident !== null))
    console.log(
      `  ${k.kind}: ${k.incidentsCausedPerIncident} incidents each caused by the death (the home with the sensor working had the rest)`,
    );
  console.log('\nalerts per incident, by rule:');
  for (const k of f.incidents) {
    const rules = Object.entries(k.alertsPerIncidentByRule).sort(([, a], [, b]) => b - a);
    console.log(`  ${k.kind.padEnd(30)} ${rules.map(([rule, n]) => `${rule} ${n}`).join(', ') || '–'}`);
  }
  console.log('\nchecks against issue 18:');
  console.log(
    `  device.offline on ordinary days, by sensor: ${
      Object.entries(f.findings.offlineBySensor)
        .sort(([, a], [, b]) => b - a)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ') || 'none'
    }`,
  );
  console.log(
    `  wake.late on ordinary days: ${f.findings.wakeLateFalse}, of which ${f.findings.wakeLateBeforeRealWake} learned a usual time ≥ 1 h before the resident really gets up`,
  );
  console.log(
    `  false alerts while a registered absence was on: ${
      Object.entries(f.findings.duringRegisteredAbsence)
        .map(([rule, n]) => `${rule} ${n}`)
        .join(', ') || 'none'
    }`,
  );
  console.log(`\n${seconds} s on ${workers} workers`);
}

#!/usr/bin/env node
// Backtest benchmark (issue 4, docs/performance.md): N simulated homes × D days of history,
// replayed through rules the way POST /api/rules/:id/backtest does. Prints the figures and
// appends them to bench/results/backtest.jsonl with the machine they came from.
//
//   npm run build && node bench/backtest.mjs [--homes 1000] [--days 30] [--seed 1] [--workers <cores>]
//
// The history is generated (device-sim) and imported (the hub's import) once into
// bench/.data/ and reused by later runs; the backtests are what is timed.
import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { historyLines } from '../device-sim/dist/history.js';
import { BacktestRunner, RuleRegistry } from '../hub/dist/engine/index.js';
import { importHistory } from '../hub/dist/history/index.js';
import {
  AbsenceRepository,
  AlertRepository,
  DeviceRepository,
  EventJournal,
  HomeRepository,
  RuleRepository,
  openDatabase,
} from '../hub/dist/store/index.js';

const { values } = parseArgs({
  options: {
    homes: { type: 'string', default: '1000' },
    days: { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
    workers: { type: 'string', default: String(availableParallelism()) },
  },
});
const homes = Number(values.homes);
const days = Number(values.days);
const seed = Number(values.seed);
const workers = Number(values.workers);
const DAY = 86_400_000;
const end = Date.parse('2026-11-23T00:00:00+09:00');
const from = end - days * DAY;

const dir = join('bench', '.data', `backtest-${homes}x${days}-seed${seed}`);
const ready = join(dir, 'imported');
if (!existsSync(ready)) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = openDatabase(join(dir, 'mimamori.sqlite'));
  const started = performance.now();
  async function* lines() {
    for (const line of historyLines({ seed, homes, days, end, fall: { home: 3, at: end - 6 * DAY + 10 * 3_600_000 } }))
      yield JSON.stringify(line);
  }
  const report = await importHistory(lines(), {
    homes: new HomeRepository(db),
    devices: new DeviceRepository(db),
    absences: new AbsenceRepository(db),
    journal: new EventJournal(db),
    now: Date.now(),
  });
  db.close();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `prepared ${report.events} events of ${homes} homes × ${days} days in ${seconds.toFixed(0)} s (${Math.round(report.events / seconds)} events/s generated and imported)`,
  );
  writeFileSync(ready, JSON.stringify(report));
}

const db = openDatabase(join(dir, 'mimamori.sqlite'));
const registry = new RuleRegistry(new RuleRepository(db));
registry.seedDefaults(Date.now());
const runner = new BacktestRunner(
  {
    homes: new HomeRepository(db),
    devices: new DeviceRepository(db),
    absences: new AbsenceRepository(db),
    journal: new EventJournal(db),
    alerts: new AlertRepository(db),
    rules: new RuleRepository(db),
    dbFile: join(dir, 'mimamori.sqlite'),
  },
  workers,
);

const cases = [
  { rule: 'inactivity.24h', params: { durationMinutes: 480 } },
  { rule: 'wake.late', params: { k: 2 } },
  { rule: 'environment.heat', params: { thresholdC: 30 } },
];
const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
const results = [];
for (const { rule, params } of cases) {
  const started = performance.now();
  const result = await runner.run(registry.get(rule), { from, to: end, params });
  const seconds = (performance.now() - started) / 1000;
  const figures = {
    benchmark: 'backtest',
    date: new Date().toISOString(),
    machine,
    homes,
    days,
    workers,
    rule,
    events: result.events,
    seconds: Number(seconds.toFixed(1)),
    eventsPerSecond: Math.round(result.events / seconds),
    liveAlerts: result.live.total,
    proposalAlerts: result.proposal?.total ?? null,
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
  results.push(figures);
  console.log(
    `${rule}: ${figures.events} events of ${homes} homes × ${days} days, live and proposal, ${workers} workers, in ${figures.seconds} s (${figures.eventsPerSecond} events/s per run pair); ` +
      `alerts live ${figures.liveAlerts}, proposal ${figures.proposalAlerts}; RSS ${figures.rssMiB} MiB`,
  );
}
db.close();
mkdirSync(join('bench', 'results'), { recursive: true });
for (const r of results) appendFileSync(join('bench', 'results', 'backtest.jsonl'), `${JSON.stringify(r)}\n`);
console.log(`figures appended to bench/results/backtest.jsonl (${machine.cpus} cores, ${machine.cpu})`);

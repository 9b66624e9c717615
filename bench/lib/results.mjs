// The machine a figure came from, and the one place results are written (bench/results/<name>.jsonl).
import { appendFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export const RESULTS_DIR = join('bench', 'results');

/** CPU model, cores, memory and Node version: a figure without its machine means nothing. */
export function describeMachine() {
  return {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

/**
 * Appends one JSON line `{benchmark, date, machine, params, ...figures}` to bench/results/<name>.jsonl
 * (or to `dir` when the caller says so — the smoke test writes into a temp dir).
 */
export function appendResult(name, params, figures, dir = RESULTS_DIR) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.jsonl`);
  const record = { benchmark: name, date: new Date().toISOString(), machine: describeMachine(), params, ...figures };
  appendFileSync(file, `${JSON.stringify(record)}\n`);
  console.log(`figures appended to ${file} (${record.machine.cpus} cores, ${record.machine.cpu})`);
  return record;
}

export const round = (n, digits = 0) => Number(n.toFixed(digits));
export const mib = (bytes) => Math.round(bytes / 2 ** 20);

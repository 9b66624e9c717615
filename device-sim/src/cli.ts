#!/usr/bin/env node
import { USAGE, UsageError, parseCliArgs } from './cli-args.js';
import { HISTORY_USAGE, parseHistoryArgs, writeHistory } from './history-cli.js';
import type { Log } from '@mimamori/device-link';
import { startSimulation } from './simulation.js';

const print = (stream: NodeJS.WriteStream, text: string) => stream.write(`${text}\n`);

async function main(argv: readonly string[]): Promise<void> {
  if (argv[0] === 'history') return history(argv.slice(1));
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    print(process.stderr, `${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) return void print(process.stdout, USAGE);

  const { settings, durationS, quiet } = args;
  const log: Log = {
    info: (line) => void (quiet || print(process.stdout, `[device-sim] ${line}`)),
    error: (line) => void print(process.stderr, `[device-sim] ${line}`),
  };
  const simulation = await startSimulation({ ...settings, log });

  let stopping = false;
  const stop = async (why: string) => {
    // A second Ctrl-C while stopping means "now".
    if (stopping) process.exit(130);
    stopping = true;
    clearTimeout(durationTimer);
    log.info(`stopping (${why})`);
    await simulation.stop();
    const { published, promptsAnswered } = simulation.stats;
    log.info(`stopped after publishing ${published} events and answering ${promptsAnswered} prompts`);
    process.exit(0);
  };
  const durationTimer =
    durationS === undefined ? undefined : setTimeout(() => void stop(`${durationS} s elapsed`), durationS * 1000);
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** `history`: writes a past of simulated homes for the hub's import, instead of running them live. */
async function history(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) return void print(process.stdout, HISTORY_USAGE);
  let parsed;
  try {
    parsed = parseHistoryArgs(argv, Date.now());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    print(process.stderr, `${error.message}\n\n${HISTORY_USAGE}`);
    process.exit(2);
  }
  const lines = await writeHistory(parsed.options, parsed.out);
  if (parsed.out) print(process.stderr, `[device-sim] wrote ${lines} lines to ${parsed.out}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  print(process.stderr, `device-sim: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

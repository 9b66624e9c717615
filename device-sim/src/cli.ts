#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SCENARIOS } from './scenarios.js';
import { startSimulation } from './simulation.js';

const USAGE = `Usage: mimamori-sim --hub http://127.0.0.1:8080 [--mqtt mqtt://127.0.0.1:1883] [--homes 20] [--seed 1]
                    [--scenario ${Object.keys(SCENARIOS).join('|')}] [--speed 1] [--user staff --password …] [--duration-s N] [--quiet]`;

const options = z.object({
  hub: z.url({ protocol: /^https?$/ }),
  mqtt: z.url({ protocol: /^(mqtts?|wss?)$/ }).optional(),
  homes: z.coerce.number().int().min(1).max(100_000).default(20),
  seed: z.coerce.number().int().min(0).default(1),
  scenario: z.enum(Object.keys(SCENARIOS) as [string, ...string[]]).default('normal'),
  speed: z.coerce.number().min(0.1).max(10_000).default(1),
  user: z.string().min(1).default('staff'),
  password: z.string().min(1).default('mimamori-demo-staff'),
  'duration-s': z.coerce.number().positive().optional(),
  quiet: z.boolean().default(false),
});

async function main(): Promise<void> {
  let raw;
  try {
    raw = parseArgs({
      options: {
        hub: { type: 'string' }, mqtt: { type: 'string' }, homes: { type: 'string' }, seed: { type: 'string' },
        scenario: { type: 'string' }, speed: { type: 'string' }, user: { type: 'string' }, password: { type: 'string' },
        'duration-s': { type: 'string' }, quiet: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  const parsed = options.safeParse(raw);
  if (!parsed.success) fail(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  const args = parsed.data;
  const log = args.quiet ? () => {} : (line: string) => process.stdout.write(`[device-sim] ${line}\n`);
  const simulation = await startSimulation({
    hub: args.hub.replace(/\/$/, ''),
    mqtt: args.mqtt ?? `mqtt://${new URL(args.hub).hostname}:1883`,
    homes: args.homes, seed: args.seed, speed: args.speed, scenario: args.scenario, user: args.user, password: args.password, log,
  });
  const stop = async () => {
    await simulation.stop();
    log(`stopped after publishing ${simulation.stats.published} events`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  if (args['duration-s']) setTimeout(() => void stop(), args['duration-s'] * 1000);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

main().catch((error: unknown) => {
  process.stderr.write(`device-sim failed: ${(error as Error).message}\n`);
  process.exit(1);
});

import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SPEAKER_HABITS } from './persona.js';
import { SCENARIO_NAMES } from './scenarios/index.js';
import { number, simulationSettings, type SimulationSettings } from './settings.js';

export const USAGE = `Usage: mimamori-sim --hub http://127.0.0.1:8080 [--mqtt mqtt://127.0.0.1:1883]
         [--homes 20] [--seed 1] [--scenario ${SCENARIO_NAMES.join('|')}] [--speed 1]
         [--user staff --password …] [--answer-probability 0..1] [--speaker N=${SPEAKER_HABITS.join('|')} …]
         [--checkin-cron "0 9 * * *" [--checkin-window 60] [--checkin-reprompts 2] [--checkin-reprompt-every 20]]
         [--duration-s N] [--quiet]`;

const cliArgs = simulationSettings.extend({
  durationS: number().positive().optional().describe('Stop after this many real seconds'),
  quiet: z.boolean().default(false).describe('Print nothing but errors'),
});

export type CliArgs =
  { help: true } | { help: false; settings: SimulationSettings; durationS: number | undefined; quiet: boolean };

/** Thrown for flags that cannot run; the CLI prints the message with the usage and exits 2. */
export class UsageError extends Error {}

// Flags whose names differ from the settings they set.
const FLAGS: Readonly<Record<string, string>> = {
  answerProbability: 'answer-probability',
  durationS: 'duration-s',
  speakers: 'speaker',
  'checkin.cron': 'checkin-cron',
  'checkin.windowMinutes': 'checkin-window',
  'checkin.reprompts': 'checkin-reprompts',
  'checkin.repromptEveryMinutes': 'checkin-reprompt-every',
};

/** Parses and validates command-line flags (without the node and script arguments). */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        hub: { type: 'string' },
        mqtt: { type: 'string' },
        homes: { type: 'string' },
        seed: { type: 'string' },
        scenario: { type: 'string' },
        speed: { type: 'string' },
        user: { type: 'string' },
        password: { type: 'string' },
        'answer-probability': { type: 'string' },
        'duration-s': { type: 'string' },
        speaker: { type: 'string', multiple: true },
        'checkin-cron': { type: 'string' },
        'checkin-window': { type: 'string' },
        'checkin-reprompts': { type: 'string' },
        'checkin-reprompt-every': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { help: true };
  const {
    speaker,
    'checkin-cron': cron,
    'checkin-window': window,
    'checkin-reprompts': reprompts,
    'checkin-reprompt-every': every,
    ...rest
  } = values;
  const checkin = {
    cron,
    windowMinutes: numeric(window),
    reprompts: numeric(reprompts),
    repromptEveryMinutes: numeric(every),
  };
  const parsed = cliArgs.safeParse({
    ...rest,
    speakers: Object.fromEntries((speaker ?? []).map((pair) => pair.split('=', 2))),
    // The schedule flags only mean something with a cron; any of them alone is reported as a missing cron.
    checkin: Object.values(checkin).some((v) => v !== undefined)
      ? Object.fromEntries(Object.entries(checkin).filter(([, v]) => v !== undefined))
      : undefined,
    homes: numeric(values.homes),
    seed: numeric(values.seed),
    speed: numeric(values.speed),
    answerProbability: numeric(values['answer-probability']),
    durationS: numeric(values['duration-s']),
  });
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((issue) => `--${flagOf(issue.path)}: ${issue.message}`).join('\n'));
  }
  const { durationS, quiet, ...settings } = parsed.data;
  return { help: false, settings, durationS, quiet };
}

/** The flag a settings path came from: `checkin.cron` → checkin-cron, `speakers.7` → speaker. */
function flagOf(path: readonly PropertyKey[]): string {
  const [first, second] = path.map(String);
  return FLAGS[`${first}.${second}`] ?? FLAGS[first ?? ''] ?? first ?? '';
}

/** Flags arrive as strings; an unparsable number becomes NaN, which the schema then names. */
const numeric = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value));

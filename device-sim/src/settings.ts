import { z } from 'zod';
import { checkinScheduleInput } from '@mimamori/contract';
import { SPEAKER_HABITS } from './persona.js';
import { SCENARIO_NAMES } from './scenarios/index.js';

const url = (protocols: RegExp, example: string) =>
  z.url({
    protocol: protocols,
    error: (issue) => (issue.input === undefined ? 'is required' : `must be a URL such as ${example}`),
  });
/** A number flag whose message says so when the text was not a number (NaN); other checks keep zod's messages. */
export const number = () =>
  z.number({ error: (issue) => (issue.expected === 'number' ? 'must be a number' : undefined) });

/** What a simulation run is told; the CLI's flags and startSimulation's options both parse with this. */
export const simulationSettings = z.object({
  hub: url(/^https?$/, 'http://127.0.0.1:8080').describe("The hub's HTTP base URL, for provisioning"),
  mqtt: url(/^(mqtts?|wss?)$/, 'mqtt://127.0.0.1:1883')
    .optional()
    .describe("The broker; defaults to port 1883 on the hub's host"),
  homes: number().int().min(1).max(1000).default(20).describe('How many homes to simulate'),
  seed: number().int().min(0).max(999_999_999).default(1).describe('Same seed, same homes, ids and days'),
  scenario: z.enum(SCENARIO_NAMES).default('normal').describe('The story to play on top of the daily routines'),
  speed: number()
    .min(0.1)
    .max(10_000)
    .default(1)
    .describe('How many times faster than real time the simulated day runs'),
  user: z.string().min(1).default('staff').describe('A hub user with the staff or admin role'),
  password: z.string().min(1).default('mimamori-demo-staff').describe("That user's password (the demo default)"),
  answerProbability: number()
    .min(0)
    .max(1)
    .optional()
    .describe("Overrides every resident's probability of answering a prompt"),
  speakers: z
    .record(z.string(), z.enum(SPEAKER_HABITS))
    .refine(
      (byHome) => Object.keys(byHome).every((key) => /^[1-9]\d*$/.test(key)),
      'must be a home number from 1, e.g. 2=silent',
    )
    .default({})
    .describe('Speaker habit by home number (1 = the first home), overriding the everyday mix'),
  checkin: checkinScheduleInput
    .optional()
    .describe("A check-in schedule every resident gets (the hub's schedule body), unless they already have one"),
});

export type SimulationSettingsInput = z.input<typeof simulationSettings>;
export type SimulationSettings = z.output<typeof simulationSettings>;

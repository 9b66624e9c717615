import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { entityId, language, TOPIC_ROOT } from '@mimamori/contract';
import { z } from 'zod';
import { keyCode } from './buttons/key-codes.js';

/** The Japanese voice shipped in this package (tohoku-f01, CC BY 4.0; voices/tohoku-f01/COPYRIGHT.txt). */
export const SHIPPED_VOICE = fileURLToPath(
  new URL('../voices/tohoku-f01/tohoku-f01-neutral.htsvoice', import.meta.url),
);
export const DEFAULT_CONFIG_FILE = '/etc/mimamori-speaker/speaker.json';

const BROKER_PROTOCOLS = new Set(['mqtt:', 'mqtts:', 'ws:', 'wss:']);

/**
 * The credentials file staff issue for the device (the staff console's download or QR code):
 * what `POST /api/devices/:id/credentials` answers, plus where the hub's broker is and the
 * home's language. The secret is shown once by the hub; this file is its only copy.
 */
export const credentialsFile = z
  .object({
    mqttUrl: z
      .url()
      .refine((url) => BROKER_PROTOCOLS.has(new URL(url).protocol), 'must be mqtt://, mqtts://, ws:// or wss://')
      .describe("The hub's MQTT broker as the home reaches it (mqtts://hub.example.jp:8883)"),
    homeId: entityId,
    deviceId: entityId,
    username: z.string().min(1).describe('The MQTT username: the device id'),
    password: z.string().min(1).describe('The device secret'),
    topicPrefix: z.string().optional().describe('mimamori/v1/{homeId}/{deviceId}; checked against the ids when given'),
    language: language.default('ja').describe('What the speaker says in its own words: ja or en'),
  })
  .refine((c) => c.topicPrefix === undefined || c.topicPrefix === `${TOPIC_ROOT}/${c.homeId}/${c.deviceId}`, {
    message: 'does not match homeId and deviceId',
    path: ['topicPrefix'],
  });
export type CredentialsFile = z.infer<typeof credentialsFile>;

const key = z
  .union([z.number().int().min(0).max(0x2ff), z.string()])
  .refine(
    (k) => keyCode(k) !== undefined,
    'unknown key name (use a number from evtest, or KEY_1, KEY_KP1, KEY_F1, KEY_ENTER, BTN_0 …)',
  );
const keys = (defaults: string[]) => z.array(key).min(1).default(defaults);
const gpioLine = z.number().int().min(0).max(511).optional();
const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
const seconds = (min: number, max: number, fallback: number, what: string) =>
  z.number().min(min).max(max).default(fallback).describe(what);

const sherpaModel = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('transducer'),
    encoder: z.string(),
    decoder: z.string(),
    joiner: z.string(),
    tokens: z.string(),
  }),
  z.object({
    kind: z.literal('sense-voice'),
    model: z.string(),
    tokens: z.string(),
    language: z.enum(['ja', 'en', 'auto']).default('auto'),
  }),
]);

/** The speaker's own settings (`/etc/mimamori-speaker/speaker.json`); every field has a default. */
export const speakerSettings = z
  .object({
    credentials: z
      .string()
      .default('/etc/mimamori-speaker/credentials.json')
      .describe('The credentials file staff issued'),
    stateDir: z
      .string()
      .default('/var/lib/mimamori-speaker')
      .describe('Answers and SOS presses waiting for the hub are kept here (outbox/), across restarts'),
    voice: z
      .object({
        htsVoice: z
          .string()
          .default(SHIPPED_VOICE)
          .describe('Open JTalk voice for Japanese; the shipped tohoku-f01 unless set'),
        dictionary: z.string().default('/var/lib/mecab/dic/open-jtalk/naist-jdic'),
        espeakVoice: z.string().default('en').describe('espeak-ng voice for English'),
      })
      .default({ htsVoice: SHIPPED_VOICE, dictionary: '/var/lib/mecab/dic/open-jtalk/naist-jdic', espeakVoice: 'en' }),
    speech: z
      .object({
        rate: z
          .number()
          .min(0.5)
          .max(2)
          .default(0.85)
          .describe('Speed relative to normal; slower suits older listeners'),
        volumeDb: z.number().min(-20).max(20).default(0).describe('Louder or quieter than the engine, in dB'),
      })
      .default({ rate: 0.85, volumeDb: 0 }),
    audio: z
      .discriminatedUnion('backend', [
        z.object({
          backend: z.literal('aplay'),
          device: z.string().optional().describe('ALSA device, e.g. plughw:1,0'),
        }),
        z.object({ backend: z.literal('pulse'), player: z.enum(['paplay', 'pw-play']).default('paplay') }),
        z.object({
          backend: z.literal('wav-dir'),
          dir: z.string().describe('Sounds are written here instead (tests)'),
        }),
      ])
      .default({ backend: 'aplay' }),
    buttons: z
      .object({
        input: z
          .array(
            z.object({
              device: z.string().describe('/dev/input/by-id/…-event-kbd of the keypad'),
              keys: z
                .object({
                  green: keys(['KEY_1', 'KEY_KP1']),
                  yellow: keys(['KEY_2', 'KEY_KP2']),
                  red: keys(['KEY_3', 'KEY_KP3']),
                  repeat: keys(['KEY_4', 'KEY_KP4']),
                })
                .default({
                  green: ['KEY_1', 'KEY_KP1'],
                  yellow: ['KEY_2', 'KEY_KP2'],
                  red: ['KEY_3', 'KEY_KP3'],
                  repeat: ['KEY_4', 'KEY_KP4'],
                }),
            }),
          )
          .default([]),
        gpio: z
          .array(
            z.object({
              chip: z.string().default('gpiochip0'),
              lines: z.object({ green: gpioLine, yellow: gpioLine, red: gpioLine, repeat: gpioLine }),
              activeLow: z
                .boolean()
                .default(true)
                .describe('Buttons to ground with the pull-up on (pressed reads low)'),
            }),
          )
          .default([]),
        longPressSeconds: seconds(1, 10, 2, 'Holding green this long says the connection status'),
      })
      .default({ input: [], gpio: [], longPressSeconds: 2 }),
    quietHours: z
      .object({ from: localTime, to: localTime })
      .nullable()
      .default({ from: '21:00', to: '07:00' })
      .describe('Prompts arriving then wait for the morning unless the hub marks them urgent; null for none'),
    timeZone: z
      .string()
      .default(Intl.DateTimeFormat().resolvedOptions().timeZone)
      .refine((zone) => isTimeZone(zone), 'is not a time zone (Asia/Tokyo)'),
    emergencyNumber: z
      .string()
      .regex(/^[0-9][0-9 -]{1,19}$/, 'must be a telephone number')
      .default('119')
      .describe('Said when an SOS cannot reach the hub within a minute'),
    answerWaitSeconds: seconds(5, 120, 20, 'How long an answer is awaited after a question'),
    keptNoticeSeconds: seconds(2, 60, 10, 'An answer not acknowledged by then is said to be kept'),
    sosUndeliveredSeconds: seconds(10, 300, 60, 'An SOS not acknowledged by then says so and gives the number to call'),
    heartbeatMinutes: seconds(1, 30, 5, 'How often the speaker tells the hub it is alive'),
    recogniser: z
      .object({
        engine: z.literal('sherpa-onnx'),
        model: sherpaModel,
        microphone: z.string().default('default').describe('ALSA capture device, e.g. plughw:1,0'),
        threads: z.number().int().min(1).max(8).default(2),
      })
      .optional()
      .describe('Voice answers, offline; without it the speaker takes answers by button'),
  })
  .strict();
export type SpeakerSettings = z.infer<typeof speakerSettings>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Reads and validates a JSON file with a schema; the error names the file and every failing field. */
export function readJsonFile<S extends z.ZodType>(file: string, schema: S, what: string): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`the ${what} ${file} is not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`the ${what} ${file} is not valid:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

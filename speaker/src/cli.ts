#!/usr/bin/env node
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { language, type Language } from '@mimamori/contract';
import { systemClock } from '@mimamori/contract';
import { createAudioOut } from './audio/audio-out.js';
import { readWavInfo } from './audio/wav.js';
import { credentialsFile, DEFAULT_CONFIG_FILE, readJsonFile, speakerSettings, type SpeakerSettings } from './config.js';
import { checkInstallation } from './check.js';
import { CONSOLE_HELP, ConsoleInput } from './listen/console-input.js';
import { startSpeaker } from './main.js';
import { createSynthesiser } from './speech/tts.js';
import { journalLog } from './system/journal-log.js';

const USAGE = `mimamori-speaker — the reference speaker for Mimamori Hub

  mimamori-speaker [run] [--config FILE]      run as the home's speaker (the systemd service does this)
  mimamori-speaker console [--config FILE]    try it without hardware: type button presses and answers
  mimamori-speaker say [--lang ja|en] [--out FILE.wav] [--config FILE] TEXT
                                              say TEXT (or write it to FILE.wav) with the configured voice
  mimamori-speaker check [--config FILE]      check the settings, credentials, programs and devices

--config defaults to ${DEFAULT_CONFIG_FILE}.`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      lang: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command = 'run', ...rest] = positionals;
  if (values.help) return print(USAGE, 0);
  const configFile = values.config ?? DEFAULT_CONFIG_FILE;
  const settings = (allowDefaults: boolean): SpeakerSettings =>
    allowDefaults && values.config === undefined && !existsSync(configFile)
      ? speakerSettings.parse({})
      : readJsonFile(configFile, speakerSettings, 'settings file');

  switch (command) {
    case 'run':
    case 'console':
      return run(settings(false), command === 'console');
    case 'say':
      return say(settings(true), rest.join(' '), values.lang ?? 'ja', values.out);
    case 'check':
      return checkInstallation(settings(false), (line) => console.log(line));
    default:
      return print(USAGE, 2);
  }
}

async function run(settings: SpeakerSettings, consoleMode: boolean): Promise<number> {
  const log = journalLog(process.env.JOURNAL_STREAM !== undefined, consoleMode);
  const credentials = readJsonFile(settings.credentials, credentialsFile, 'credentials file');
  let stopping: Promise<void> | undefined;
  const quit = () => {
    stopping ??= speaker.stop().then(() => process.exit(0));
  };
  const input = consoleMode
    ? new ConsoleInput({ onPress: (press) => speaker.press(press), onQuit: quit, print: (text) => console.log(text) })
    : undefined;
  const speaker = await startSpeaker({
    settings,
    credentials,
    clock: systemClock,
    log,
    ...(input
      ? {
          recogniser: input,
          wrapMouth: (mouth) => ({
            say(text, lang, options) {
              console.log(`🔊 [${options.kind}] ${text}`);
              return mouth.say(text, lang, options);
            },
          }),
        }
      : {}),
  });
  if (input) {
    console.log(CONSOLE_HELP);
    input.start();
  }
  process.on('SIGTERM', quit);
  process.on('SIGINT', quit);
  // A bug must not leave a silent speaker in a home: log it and exit, and systemd starts it again.
  process.on('uncaughtException', (error) => {
    log.error(`unexpected error: ${error.stack ?? error.message}`);
    process.exit(70);
  });
  return new Promise<number>(() => {});
}

async function say(settings: SpeakerSettings, text: string, lang: string, out: string | undefined): Promise<number> {
  if (!text) return print('say: what should be said?', 2);
  const parsed = language.safeParse(lang);
  if (!parsed.success) return print('say: --lang is ja or en', 2);
  const dir = mkdtempSync(join(tmpdir(), 'mimamori-say-'));
  try {
    const file = out ?? join(dir, 'say.wav');
    await createSynthesiser(settings.voice, settings.speech).synthesise(text, parsed.data as Language, file);
    const seconds = readWavInfo(readFileSync(file)).durationMs / 1000;
    if (out) return print(`${out}: ${seconds.toFixed(2)} s`, 0);
    const log = journalLog(false);
    await createAudioOut(settings.audio, { clock: systemClock, log }).play(file, { kind: 'say' }).done;
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(text: string, code: number): number {
  (code === 0 ? console.log : console.error)(text);
  return code;
}

main().then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`mimamori-speaker: ${(error as Error).message}`);
    process.exit(1);
  },
);

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EV_KEY, encodeInputEvent } from '../../speaker/src/buttons/input-events.js';

const CLI = fileURLToPath(new URL('../../speaker/dist/cli.js', import.meta.url));

/** One line of the wav-dir backend's record (speaker/src/audio/audio-out.ts). */
export interface Played {
  seq: number;
  event: 'start' | 'end';
  file: string;
  kind: string;
  text?: string;
  durationMs: number;
  stopped?: boolean;
  afterMs?: number;
}

export interface SpeakerProcess {
  /** Where the speaker writes what it says (a WAV per sentence, and played.jsonl). */
  soundDir: string;
  played(): Played[];
  output(): string;
  /** Presses a key on the keypad (a pipe standing in for /dev/input/…): down, then up after `holdMs`. */
  press(code: number, holdMs?: number): Promise<void>;
  stop(): Promise<number | null>;
}

/** Linux key codes of the speaker's default keypad mapping: green KEY_1, yellow KEY_2, red KEY_3. */
export const KEY = { green: 2, yellow: 3, red: 4 } as const;

/**
 * Runs the built speaker (`speaker/dist/cli.js run`) in `dir` with the credentials file staff
 * issued, its sounds going to WAV files (the `wav-dir` backend plays each for as long as it
 * lasts) and its buttons read from a named pipe that the test writes real `struct input_event`s to.
 */
export async function startSpeakerProcess(
  dir: string,
  credentials: Record<string, unknown>,
  settings: Record<string, unknown> = {},
): Promise<SpeakerProcess> {
  mkdirSync(dir, { recursive: true });
  const soundDir = join(dir, 'sounds');
  const keypad = join(dir, 'keypad');
  if (spawnSync('mkfifo', [keypad]).status !== 0) throw new Error('mkfifo failed');
  writeFileSync(join(dir, 'credentials.json'), JSON.stringify(credentials));
  writeFileSync(
    join(dir, 'speaker.json'),
    JSON.stringify({
      credentials: join(dir, 'credentials.json'),
      stateDir: join(dir, 'state'),
      audio: { backend: 'wav-dir', dir: soundDir },
      buttons: { input: [{ device: keypad }] },
      ...settings,
    }),
  );
  const child = spawn(process.execPath, [CLI, 'run', '--config', join(dir, 'speaker.json')], {
    env: { PATH: process.env.PATH ?? '', TZ: 'Asia/Tokyo' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Opening a pipe for writing waits for its reader: the speaker, once it has started.
  const writer: FileHandle = await Promise.race([
    open(keypad, 'w'),
    exited.then((code) => {
      throw new Error(`the speaker exited (${code}) before opening its keypad:\n${output}`);
    }),
  ]);
  const journal = join(soundDir, 'played.jsonl');
  return {
    soundDir,
    played: () =>
      (existsSync(journal) ? readFileSync(journal, 'utf8') : '')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Played),
    output: () => output,
    async press(code, holdMs = 100) {
      await writer.write(encodeInputEvent({ type: EV_KEY, code, value: 1 }, Date.now()));
      await new Promise((resolve) => setTimeout(resolve, holdMs));
      await writer.write(encodeInputEvent({ type: EV_KEY, code, value: 0 }, Date.now()));
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      await writer.close();
      return code;
    },
  };
}

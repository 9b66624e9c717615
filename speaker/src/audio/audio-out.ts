import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from '@mimamori/device-link';
import type { Clock } from '@mimamori/contract';
import { missingProgram } from '../system/run.js';
import { readWavInfo } from './wav.js';

export type PlaybackEnd = 'finished' | 'stopped' | 'failed';

/** One sound being played; `stop()` silences it at once (a cancelled prompt stops mid-sentence). */
export interface Playback {
  readonly done: Promise<PlaybackEnd>;
  stop(): void;
}

/** What a sound is, for the wav-dir backend's record and for logs. */
export interface SoundLabel {
  kind: string;
  text?: string;
  lang?: string;
}

export interface AudioOut {
  play(wavFile: string, label: SoundLabel): Playback;
}

export type AudioSettings =
  | { backend: 'aplay'; device?: string | undefined }
  | { backend: 'pulse'; player: 'paplay' | 'pw-play' }
  | { backend: 'wav-dir'; dir: string };

export function createAudioOut(settings: AudioSettings, deps: { clock: Clock; log: Log }): AudioOut {
  switch (settings.backend) {
    case 'aplay':
      // ALSA directly: what a Pi without a desktop has. `-D plughw:1,0` picks a USB speaker.
      return programOut('aplay', (file) => ['-q', ...(settings.device ? ['-D', settings.device] : []), file], deps.log);
    case 'pulse':
      return programOut(settings.player, (file) => [file], deps.log);
    case 'wav-dir':
      return new WavDirOut(settings.dir, deps.clock);
  }
}

/** Plays through a player program; stopping it kills the player, which silences the device at once. */
function programOut(command: string, args: (file: string) => string[], log: Log): AudioOut {
  return {
    play(file, label) {
      const child = spawn(command, args(file), { stdio: ['ignore', 'ignore', 'pipe'] });
      let stopped = false;
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-500)));
      const done = new Promise<PlaybackEnd>((resolve) => {
        child.on('error', (error: NodeJS.ErrnoException) => {
          log.error(`playing ${label.kind}: ${(error.code === 'ENOENT' ? missingProgram(command) : error).message}`);
          resolve('failed');
        });
        child.on('close', (code) => {
          if (stopped) return resolve('stopped');
          if (code === 0) return resolve('finished');
          log.error(`playing ${label.kind}: ${command} exited with ${code}: ${stderr.trim()}`);
          resolve('failed');
        });
      });
      return {
        done,
        stop() {
          if (stopped || child.exitCode !== null) return;
          stopped = true;
          child.kill('SIGTERM');
        },
      };
    },
  };
}

/**
 * For tests and for trying the speaker without a loudspeaker: each sound is copied into `dir`
 * (`0001-prompt.wav`, …) and "plays" for as long as the WAV lasts, on the clock, so stopping
 * mid-sentence is real. `played.jsonl` records each start and end (with `stopped` and how far
 * it got). It holds what was said, so it is a test backend, not for a resident's home.
 */
export class WavDirOut implements AudioOut {
  #seq = 0;
  readonly #journal: string;

  constructor(
    private readonly dir: string,
    private readonly clock: Clock,
  ) {
    mkdirSync(dir, { recursive: true });
    this.#journal = join(dir, 'played.jsonl');
  }

  play(wavFile: string, label: SoundLabel): Playback {
    const seq = ++this.#seq;
    const file = `${String(seq).padStart(4, '0')}-${label.kind}.wav`;
    copyFileSync(wavFile, join(this.dir, file));
    const durationMs = Math.round(readWavInfo(readFileSync(wavFile)).durationMs);
    const startedAt = this.clock.now();
    this.#record({ seq, event: 'start', file, ...label, durationMs, at: new Date(startedAt).toISOString() });
    let finish: (end: PlaybackEnd) => void = () => undefined;
    const done = new Promise<PlaybackEnd>((resolve) => (finish = resolve));
    let ended = false;
    const end = (stopped: boolean) => {
      if (ended) return;
      ended = true;
      cancel();
      const afterMs = this.clock.now() - startedAt;
      this.#record({ seq, event: 'end', file, kind: label.kind, stopped, afterMs, durationMs });
      finish(stopped ? 'stopped' : 'finished');
    };
    const cancel = this.clock.setTimer(() => end(false), durationMs);
    return { done, stop: () => end(true) };
  }

  #record(line: Record<string, unknown>): void {
    appendFileSync(this.#journal, `${JSON.stringify(line)}\n`);
  }
}

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Language } from '@mimamori/contract';
import type { Log } from '@mimamori/device-link';
import type { AudioOut, PlaybackEnd, Playback } from '../audio/audio-out.js';
import type { Synthesiser } from './tts.js';

/** Something being said; `stop()` silences it at once, or keeps it from starting. */
export interface Utterance {
  readonly done: Promise<PlaybackEnd>;
  stop(): void;
}

export interface SayOptions {
  /** What it is (prompt, confirmation, sos, announce, status…): for logs and the wav-dir record. */
  kind: string;
  /** A chime first, to turn the listener's attention to the speaker (prompts, announcements). */
  chime?: boolean;
  /** Silences what is being said and what waits, and says this now (an SOS press). */
  interrupt?: boolean;
}

/** The speaker's one voice: what it is asked to say is said in turn, never over itself. */
export interface Mouth {
  say(text: string, lang: Language, options: SayOptions): Utterance;
}

interface Job {
  stopped: boolean;
  playback: Playback | undefined;
}

export interface VoiceDeps {
  synthesiser: Synthesiser;
  audio: AudioOut;
  chimeFile: string;
  /** Where synthesised speech is written before it is played (and removed after). */
  workDir: string;
  log: Log;
}

/**
 * Synthesises at once (so the next sentence is ready when the one before ends) and plays in
 * the order asked. The log names what kind of thing was said, never its words: a confirmation
 * says how the resident is.
 */
export class Voice implements Mouth {
  #tail: Promise<unknown> = Promise.resolve();
  #count = 0;
  readonly #jobs = new Set<Job>();

  constructor(private readonly deps: VoiceDeps) {}

  say(text: string, lang: Language, options: SayOptions): Utterance {
    const { synthesiser, workDir, log } = this.deps;
    if (options.interrupt) this.stopAll();
    const file = join(workDir, `say-${process.pid}-${++this.#count}.wav`);
    const synthesised = synthesiser.synthesise(text, lang, file).then(
      () => true,
      (error: unknown) => {
        log.error(`could not synthesise ${options.kind} (${lang}): ${(error as Error).message}`);
        return false;
      },
    );
    const job: Job = { stopped: false, playback: undefined };
    this.#jobs.add(job);
    const done = this.#tail.then(() =>
      this.#perform(job, file, synthesised, text, lang, options).catch((error: unknown) => {
        log.error(`could not play ${options.kind}: ${(error as Error).message}`);
        return 'failed' as const;
      }),
    );
    this.#tail = done;
    void done.finally(() => {
      this.#jobs.delete(job);
      rmSync(file, { force: true });
    });
    return {
      done,
      stop() {
        job.stopped = true;
        job.playback?.stop();
      },
    };
  }

  /** Silences what is being said and drops what waits to be said. */
  stopAll(): void {
    for (const job of this.#jobs) {
      job.stopped = true;
      job.playback?.stop();
    }
  }

  async #perform(
    job: Job,
    file: string,
    synthesised: Promise<boolean>,
    text: string,
    lang: Language,
    options: SayOptions,
  ): Promise<PlaybackEnd> {
    if (!(await synthesised)) return 'failed';
    if (options.chime) {
      const chime = await this.#play(job, this.deps.chimeFile, { kind: 'chime' });
      if (chime === 'stopped') return 'stopped';
    }
    this.deps.log.info(`saying ${options.kind} (${lang})`);
    return this.#play(job, file, { kind: options.kind, text, lang });
  }

  #play(job: Job, file: string, label: { kind: string; text?: string; lang?: string }): Promise<PlaybackEnd> {
    if (job.stopped) return Promise.resolve('stopped');
    job.playback = this.deps.audio.play(file, label);
    return job.playback.done;
  }
}

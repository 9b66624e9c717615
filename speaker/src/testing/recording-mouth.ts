import type { Language } from '@mimamori/contract';
import type { PlaybackEnd } from '../audio/audio-out.js';
import type { Recogniser } from '../listen/recogniser.js';
import type { Mouth, SayOptions } from '../speech/voice.js';

export interface Said {
  text: string;
  lang: Language;
  kind: string;
  chime: boolean;
  end: PlaybackEnd | undefined;
}

/**
 * For tests of the conversation: records what would be said, in order, and lets the test
 * decide when each sentence ends (`finish()`), as a listener would hear it. Speech itself is
 * tested against Open JTalk and the audio backends in their own tests and end to end.
 */
export class RecordingMouth implements Mouth {
  readonly said: Said[] = [];
  readonly #endings: ((end: PlaybackEnd) => void)[] = [];

  say(text: string, lang: Language, options: SayOptions) {
    if (options.interrupt) for (const end of this.#endings.splice(0)) end('stopped');
    const said: Said = { text, lang, kind: options.kind, chime: options.chime ?? false, end: undefined };
    this.said.push(said);
    let resolve: (end: PlaybackEnd) => void = () => undefined;
    const done = new Promise<PlaybackEnd>((r) => (resolve = r));
    const end = (how: PlaybackEnd) => {
      if (said.end) return;
      said.end = how;
      resolve(how);
    };
    this.#endings.push(end);
    return { done, stop: () => end('stopped') };
  }

  /** Ends every sentence still being said, as if heard to the end. */
  finish(): void {
    for (const end of this.#endings.splice(0)) end('finished');
  }

  kinds(): string[] {
    return this.said.map((s) => s.kind);
  }
}

/** A recogniser that "hears" what the test says, when the speaker is listening. */
export class ScriptedRecogniser implements Recogniser {
  #hear: ((words: string | undefined) => void) | undefined;
  listening = 0;

  listen({ signal }: { maxMs: number; signal: AbortSignal }): Promise<string | undefined> {
    this.listening++;
    return new Promise((resolve) => {
      const done = (words: string | undefined) => {
        this.#hear = undefined;
        resolve(words);
      };
      this.#hear = done;
      signal.addEventListener('abort', () => done(undefined));
    });
  }

  /** Says words (or, with undefined, lets the listening time pass in silence); false when nobody listened. */
  hear(words: string | undefined): boolean {
    const hear = this.#hear;
    hear?.(words);
    return hear !== undefined;
  }

  close(): void {}
}

/** Lets promise callbacks run (the conversation is asynchronous between steps). */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

import type { Language } from '@mimamori/contract';
import { run } from '../system/run.js';
import { forSpeech } from './speech-text.js';

export interface SpeechSettings {
  /** Speed relative to the engine's normal (1); older listeners follow 0.8–0.9 more easily. */
  rate: number;
  /** Loudness change in dB (0 leaves the engine's level). */
  volumeDb: number;
}

export interface VoiceSettings {
  /** Open JTalk's HTS voice (`.htsvoice`) for Japanese. */
  htsVoice: string;
  /** Open JTalk's dictionary directory (Debian: open-jtalk-mecab-naist-jdic). */
  dictionary: string;
  /** espeak-ng's voice for English (`en`, `en-us`, …). */
  espeakVoice: string;
}

/** Speech to a WAV file. */
export interface Synthesiser {
  synthesise(text: string, lang: Language, wavFile: string): Promise<void>;
}

/** espeak-ng's normal speed (words per minute) and amplitude (0–200). */
const ESPEAK_WPM = 175;
const ESPEAK_AMPLITUDE = 100;

/**
 * Open JTalk for Japanese (an HMM voice; the shipped tohoku-f01 is natural and clear) and
 * espeak-ng for English, both offline, both from Debian. The text is read from standard input
 * so that nothing a resident hears ends up in a process list.
 */
export function createSynthesiser(voice: VoiceSettings, speech: SpeechSettings): Synthesiser {
  return {
    synthesise(text, lang, wavFile) {
      const spoken = forSpeech(text, lang);
      if (lang === 'ja')
        return run(
          'open_jtalk',
          [
            '-x',
            voice.dictionary,
            '-m',
            voice.htsVoice,
            '-r',
            String(speech.rate),
            '-g',
            String(speech.volumeDb),
            '-ow',
            wavFile,
          ],
          spoken,
        );
      const amplitude = Math.round(ESPEAK_AMPLITUDE * 10 ** (speech.volumeDb / 20));
      return run(
        'espeak-ng',
        [
          '-v',
          voice.espeakVoice,
          '-s',
          String(Math.round(ESPEAK_WPM * speech.rate)),
          '-a',
          String(Math.min(200, amplitude)),
          '-w',
          wavFile,
          '--stdin',
        ],
        spoken,
      );
    },
  };
}

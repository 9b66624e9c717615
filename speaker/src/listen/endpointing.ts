/**
 * Finds one spoken answer in microphone audio by its loudness: it starts when a frame is
 * clearly louder than the room (the noise floor measured before), and ends after a pause.
 * Enough for the short answers a check-in takes (「元気です」); a recogniser then decodes it.
 */
export interface EndpointSettings {
  sampleRate: number;
  /** Loudness (RMS of a 30 ms frame, full scale 1) that counts as speech at least. */
  minSpeechRms: number;
  /** Speech is this many times louder than the noise floor. */
  overNoise: number;
  /** Silence that ends the answer. */
  endSilenceMs: number;
  /** Shorter sounds (a cough, a door) are not an answer. */
  minSpeechMs: number;
  /** The longest answer kept. */
  maxSpeechMs: number;
}

export const DEFAULT_ENDPOINTING: Omit<EndpointSettings, 'sampleRate'> = {
  minSpeechRms: 0.015,
  overNoise: 3,
  endSilenceMs: 900,
  minSpeechMs: 250,
  maxSpeechMs: 8000,
};

const FRAME_MS = 30;
/** Kept from before speech was detected, so the first syllable is not cut. */
const LEAD_MS = 300;

export type EndpointState = 'waiting' | 'speaking' | 'done';

export class SpeechEndpointer {
  #state: EndpointState = 'waiting';
  #noise: number | undefined;
  #frame: number[] = [];
  readonly #frames: Float32Array[] = [];
  #speechFrames = 0;
  #silentFrames = 0;
  #startFrame = 0;
  readonly #frameSamples: number;

  constructor(private readonly settings: EndpointSettings) {
    this.#frameSamples = Math.round((settings.sampleRate * FRAME_MS) / 1000);
  }

  get state(): EndpointState {
    return this.#state;
  }

  /** Feeds samples; returns the state after them. */
  push(samples: Float32Array): EndpointState {
    for (const sample of samples) {
      if (this.#state === 'done') break;
      this.#frame.push(sample);
      if (this.#frame.length === this.#frameSamples) this.#endFrame(Float32Array.from(this.#frame));
    }
    return this.#state;
  }

  /** The answer's audio, from a little before it started to its end. */
  speech(): Float32Array {
    const from = Math.max(0, this.#startFrame - LEAD_MS / FRAME_MS);
    const frames = this.#frames.slice(from);
    const out = new Float32Array(frames.reduce((n, f) => n + f.length, 0));
    let at = 0;
    for (const frame of frames) {
      out.set(frame, at);
      at += frame.length;
    }
    return out;
  }

  #endFrame(frame: Float32Array): void {
    this.#frame = [];
    this.#frames.push(frame);
    const rms = Math.sqrt(frame.reduce((sum, s) => sum + s * s, 0) / frame.length);
    const { minSpeechRms, overNoise, endSilenceMs, minSpeechMs, maxSpeechMs } = this.settings;
    const threshold = Math.max(minSpeechRms, (this.#noise ?? 0) * overNoise);
    const loud = rms >= threshold;
    if (this.#state === 'waiting') {
      if (loud) {
        this.#state = 'speaking';
        this.#startFrame = this.#frames.length - 1;
        this.#speechFrames = 1;
        this.#silentFrames = 0;
      } else {
        // The room's own level, slowly followed (a fan, a television in the next room).
        this.#noise = this.#noise === undefined ? rms : this.#noise * 0.95 + rms * 0.05;
        // Keep only what the lead-in needs while waiting.
        if (this.#frames.length > LEAD_MS / FRAME_MS) this.#frames.shift();
      }
      return;
    }
    if (loud) {
      this.#speechFrames++;
      this.#silentFrames = 0;
    } else this.#silentFrames++;
    const heardMs = (this.#frames.length - this.#startFrame) * FRAME_MS;
    if (this.#silentFrames * FRAME_MS >= endSilenceMs || heardMs >= maxSpeechMs) {
      if (this.#speechFrames * FRAME_MS >= minSpeechMs) this.#state = 'done';
      else {
        // Too short to be an answer: back to waiting.
        this.#state = 'waiting';
        this.#frames.splice(0, Math.max(0, this.#frames.length - LEAD_MS / FRAME_MS));
      }
    }
  }
}

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../../tests/support/require-tool.js';
import { decodeWav } from '../audio/wav.js';
import { createSynthesiser } from '../speech/tts.js';
import { SHIPPED_VOICE } from '../config.js';
import { DEFAULT_ENDPOINTING, SpeechEndpointer } from './endpointing.js';

const haveOpenJTalk = requireTool('open_jtalk', 'open-jtalk');

/** Quiet room noise (about −50 dBFS), seeded. */
function roomNoise(length: number, seed = 1): Float32Array {
  let state = seed;
  return Float32Array.from({ length }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return (state / 2 ** 31 - 0.5) * 0.006;
  });
}

function feed(endpointer: SpeechEndpointer, samples: Float32Array, chunk = 1600): number {
  for (let at = 0; at < samples.length; at += chunk) {
    if (endpointer.push(samples.subarray(at, at + chunk)) === 'done') return at + chunk;
  }
  return -1;
}

describe.runIf(haveOpenJTalk)('finding a spoken answer in microphone audio', () => {
  it('finds 「元気です」 said after a second of room noise, and ends it after the pause that follows', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'endpoint-')), 'genki.wav');
    await createSynthesiser(
      { htsVoice: SHIPPED_VOICE, dictionary: '/var/lib/mecab/dic/open-jtalk/naist-jdic', espeakVoice: 'en' },
      { rate: 1, volumeDb: -6 },
    ).synthesise('元気です', 'ja', file);
    const { samples: speech, sampleRate } = decodeWav(readFileSync(file));
    const before = roomNoise(sampleRate);
    const after = roomNoise(sampleRate * 2, 2);
    const audio = new Float32Array(before.length + speech.length + after.length);
    audio.set(before);
    audio.set(
      speech.map((s, i) => s + (after[i % after.length] ?? 0)),
      before.length,
    );
    audio.set(after, before.length + speech.length);

    const endpointer = new SpeechEndpointer({ ...DEFAULT_ENDPOINTING, sampleRate });
    const doneAt = feed(endpointer, audio);
    expect(endpointer.state).toBe('done');
    // Done within the pause after the words, not at the end of the recording.
    expect(doneAt).toBeGreaterThan(before.length + speech.length * 0.8);
    expect(doneAt).toBeLessThan(before.length + speech.length + sampleRate * 1.5);
    // The kept audio holds the words (Open JTalk pads its WAV with ~0.1–0.3 s of silence) and little else.
    const kept = endpointer.speech().length / sampleRate;
    expect(kept).toBeGreaterThan((speech.length / sampleRate) * 0.6);
    expect(kept).toBeLessThan(speech.length / sampleRate + 1.6);
  });

  it('takes room noise alone, or a click, for no answer', () => {
    const sampleRate = 16_000;
    const endpointer = new SpeechEndpointer({ ...DEFAULT_ENDPOINTING, sampleRate });
    expect(feed(endpointer, roomNoise(sampleRate * 5))).toBe(-1);
    const click = roomNoise(sampleRate * 3);
    for (let i = sampleRate; i < sampleRate + 1000; i++) click[i] = 0.5 * Math.sin(i);
    expect(feed(endpointer, click)).toBe(-1);
    expect(endpointer.state).toBe('waiting');
  });
});

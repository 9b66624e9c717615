import { encodeWav } from './wav.js';

const SAMPLE_RATE = 48_000;

/**
 * A soft two-note chime ("ピンポン", A5 then E5, each fading out) played before the speaker
 * starts talking, so an older listener turns their attention to it before the first word.
 */
export function chimeWav(): Buffer {
  const notes = [
    { hz: 880, ms: 180 },
    { hz: 659.25, ms: 420 },
  ];
  const total = notes.reduce((sum, note) => sum + (note.ms * SAMPLE_RATE) / 1000, 0);
  const samples = new Float32Array(total);
  let start = 0;
  for (const { hz, ms } of notes) {
    const length = (ms * SAMPLE_RATE) / 1000;
    for (let i = 0; i < length; i++) {
      const t = i / SAMPLE_RATE;
      // A quick 5 ms attack avoids a click; the exponential decay makes it a bell, not a beep.
      const envelope = Math.min(1, t / 0.005) * Math.exp(-t * 6);
      samples[start + i] = 0.35 * envelope * (Math.sin(2 * Math.PI * hz * t) + 0.2 * Math.sin(4 * Math.PI * hz * t));
    }
    start += length;
  }
  return encodeWav(samples, SAMPLE_RATE);
}

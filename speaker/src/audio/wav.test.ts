import { describe, expect, it } from 'vitest';
import { chimeWav } from './chime.js';
import { decodeWav, encodeWav, readWavInfo } from './wav.js';

describe('WAV files', () => {
  it('writes 16-bit mono PCM that reads back with its length and samples', () => {
    const samples = Float32Array.from({ length: 16_000 }, (_, i) => Math.sin(i / 10) * 0.5);
    const wav = encodeWav(samples, 16_000);
    expect(readWavInfo(wav)).toMatchObject({ sampleRate: 16_000, channels: 1, bitsPerSample: 16, durationMs: 1000 });
    const back = decodeWav(wav);
    expect(back.samples.length).toBe(16_000);
    expect(Math.max(...back.samples.map((s, i) => Math.abs(s - (samples[i] ?? 0))))).toBeLessThan(1e-4);
  });

  it('reads a data chunk whose size a streaming writer left unset as running to the end, after other chunks', () => {
    const wav = encodeWav(new Float32Array(8000), 8000);
    const list = Buffer.from('LIST\x04\x00\x00\x00INFO', 'binary');
    const withList = Buffer.concat([wav.subarray(0, 36), list, wav.subarray(36)]);
    withList.writeUInt32LE(0, 36 + list.length + 4);
    expect(readWavInfo(withList).durationMs).toBe(1000);
  });

  it('refuses what is not a WAV file', () => {
    expect(() => readWavInfo(Buffer.from('hello world, not a wave'))).toThrow(/RIFF/);
  });

  it('makes a chime of about 0.6 s that fades out', () => {
    const chime = decodeWav(chimeWav());
    expect(chime.samples.length / chime.sampleRate).toBeCloseTo(0.6, 2);
    const peak = (from: number, to: number) => Math.max(...chime.samples.slice(from, to).map(Math.abs));
    expect(peak(0, 4800)).toBeGreaterThan(0.2);
    expect(peak(chime.samples.length - 2400, chime.samples.length)).toBeLessThan(peak(8640, 13_440) / 3);
  });
});

/** The little of RIFF/WAVE the speaker needs: writing 16-bit PCM, and reading how long a file plays. */

export interface WavFormat {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
}

export interface WavInfo extends WavFormat {
  /** Byte offset of the sample data. */
  dataOffset: number;
  dataBytes: number;
  durationMs: number;
}

/** 16-bit little-endian PCM, mono, from samples in [-1, 1] (clipped). */
export function encodeWav(samples: Float32Array, sampleRate: number): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((sample, i) => data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, sample)) * 32767), i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/**
 * Reads a WAV file's format and length. A data chunk whose size is unset or larger than the
 * file (as streaming writers leave it) runs to the end of the file.
 */
export function readWavInfo(file: Buffer): WavInfo {
  if (file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE')
    throw new Error('not a RIFF/WAVE file');
  let format: WavFormat | undefined;
  for (let offset = 12; offset + 8 <= file.length;) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = {
        channels: file.readUInt16LE(body + 2),
        sampleRate: file.readUInt32LE(body + 4),
        bitsPerSample: file.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) throw new Error('WAV data before its format');
      const dataBytes = Math.min(size === 0 ? Number.POSITIVE_INFINITY : size, file.length - body);
      const bytesPerSecond = format.sampleRate * format.channels * (format.bitsPerSample / 8);
      return { ...format, dataOffset: body, dataBytes, durationMs: (dataBytes / bytesPerSecond) * 1000 };
    }
    // Chunks are padded to an even length.
    offset = body + size + (size % 2);
  }
  throw new Error('WAV file without a data chunk');
}

/** Mono 16-bit PCM samples of a WAV file as floats in [-1, 1] (the first channel of several). */
export function decodeWav(file: Buffer): { samples: Float32Array; sampleRate: number } {
  const info = readWavInfo(file);
  if (info.bitsPerSample !== 16) throw new Error(`only 16-bit PCM is read, not ${info.bitsPerSample}-bit`);
  const frame = info.channels * 2;
  const samples = new Float32Array(Math.floor(info.dataBytes / frame));
  for (let i = 0; i < samples.length; i++) samples[i] = file.readInt16LE(info.dataOffset + i * frame) / 32768;
  return { samples, sampleRate: info.sampleRate };
}

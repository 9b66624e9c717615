import { spawn } from 'node:child_process';
import type { Log } from '@mimamori/device-link';
import { missingProgram } from '../system/run.js';
import { SpeechEndpointer, type EndpointSettings } from './endpointing.js';
import type { Recogniser, SpeechDecoder } from './recogniser.js';

const SAMPLE_RATE = 16_000;

export interface MicrophoneOptions {
  /** ALSA capture device (`plughw:1,0` for a USB microphone; `default` otherwise). */
  device: string;
  decoder: SpeechDecoder;
  endpointing: Omit<EndpointSettings, 'sampleRate'>;
  log: Log;
}

/**
 * Listens on the microphone only while an answer is awaited (after a question), through
 * ALSA's `arecord` (16 kHz mono, what speech models take), finds the answer by loudness and
 * decodes it offline. Nothing is recorded to disk and nothing leaves the device.
 */
export class MicrophoneRecogniser implements Recogniser {
  constructor(private readonly options: MicrophoneOptions) {}

  listen({ maxMs, signal }: { maxMs: number; signal: AbortSignal }): Promise<string | undefined> {
    const { device, decoder, endpointing, log } = this.options;
    return new Promise((resolve) => {
      const endpointer = new SpeechEndpointer({ ...endpointing, sampleRate: SAMPLE_RATE });
      const child = spawn(
        'arecord',
        ['-q', '-D', device, '-f', 'S16_LE', '-r', String(SAMPLE_RATE), '-c', '1', '-t', 'raw'],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let settled = false;
      let heardSpeech = false;
      const finish = (text: string | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', abort);
        child.kill('SIGTERM');
        resolve(text);
      };
      const abort = () => finish(undefined);
      // Nobody started speaking in time; someone who did is heard to the end of their answer.
      const timer = setTimeout(() => {
        if (!heardSpeech) finish(undefined);
      }, maxMs);
      signal.addEventListener('abort', abort);
      let odd: Buffer = Buffer.alloc(0);
      child.stdout.on('data', (chunk: Buffer) => {
        const bytes = odd.length > 0 ? Buffer.concat([odd, chunk]) : chunk;
        const whole = bytes.length - (bytes.length % 2);
        odd = Buffer.from(bytes.subarray(whole));
        const samples = new Float32Array(whole / 2);
        for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2) / 32768;
        const state = endpointer.push(samples);
        if (state === 'speaking') heardSpeech = true;
        if (state !== 'done' || settled) return;
        child.kill('SIGTERM');
        decoder.decode(endpointer.speech(), SAMPLE_RATE).then(
          (text) => finish(text),
          (error: unknown) => {
            log.error(`could not recognise the answer: ${(error as Error).message}`);
            finish('');
          },
        );
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        log.error(`microphone: ${(error.code === 'ENOENT' ? missingProgram('arecord') : error).message}`);
        finish(undefined);
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-300)));
      child.on('close', (code) => {
        if (!settled && code !== 0 && endpointer.state !== 'done') {
          log.error(`microphone: arecord exited (${code}): ${stderr.trim()}`);
          finish(undefined);
        }
      });
    });
  }

  close(): void {}
}

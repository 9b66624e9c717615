import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SpeechDecoder } from './recogniser.js';

/**
 * An offline model for sherpa-onnx (https://k2-fsa.github.io/sherpa/onnx/): a transducer
 * (e.g. the ReazonSpeech zipformer for Japanese: encoder, decoder, joiner, tokens.txt) or
 * SenseVoice (one model.onnx with tokens.txt; Japanese and English). Models come from their
 * publishers, not from a package registry: installing one is the operator's step (docs/speakers.md).
 */
export type SherpaModel =
  | { kind: 'transducer'; encoder: string; decoder: string; joiner: string; tokens: string }
  | { kind: 'sense-voice'; model: string; tokens: string; language: 'ja' | 'en' | 'auto' };

/** The part of sherpa-onnx-node's API used here (its package ships JSDoc, not TypeScript types). */
interface SherpaModule {
  OfflineRecognizer: new (config: unknown) => {
    createStream(): { acceptWaveform(wave: { samples: Float32Array; sampleRate: number }): void };
    decodeAsync(stream: unknown): Promise<{ text?: unknown }>;
  };
}

/** Model files the configuration names that are not on disk. */
export function missingModelFiles(model: SherpaModel): string[] {
  const files =
    model.kind === 'transducer'
      ? [model.encoder, model.decoder, model.joiner, model.tokens]
      : [model.model, model.tokens];
  return files.filter((file) => !existsSync(file));
}

function modelConfig(model: SherpaModel, threads: number): unknown {
  const shared = { tokens: model.tokens, numThreads: threads, provider: 'cpu', debug: 0 };
  return model.kind === 'transducer'
    ? { ...shared, transducer: { encoder: model.encoder, decoder: model.decoder, joiner: model.joiner } }
    : { ...shared, senseVoice: { model: model.model, language: model.language, useInverseTextNormalization: 1 } };
}

/**
 * Loads sherpa-onnx-node (an optional dependency with prebuilt binaries for linux-x64 and
 * linux-arm64) and the model. Throws with the reason when either is missing, so the caller
 * can say why voice answers are off and carry on with buttons.
 */
export function loadSherpaDecoder(model: SherpaModel, threads = 2): SpeechDecoder {
  const missing = missingModelFiles(model);
  if (missing.length > 0) throw new Error(`model files not found: ${missing.join(', ')}`);
  let sherpa: SherpaModule;
  try {
    sherpa = createRequire(import.meta.url)('sherpa-onnx-node') as SherpaModule;
  } catch (error) {
    throw new Error(
      `sherpa-onnx-node cannot be loaded on ${process.platform}-${process.arch} (${(error as Error).message.split('\n')[0]})`,
    );
  }
  if (typeof sherpa.OfflineRecognizer !== 'function') throw new Error('sherpa-onnx-node has no OfflineRecognizer');
  const recognizer = new sherpa.OfflineRecognizer({
    featConfig: { sampleRate: 16_000, featureDim: 80 },
    modelConfig: modelConfig(model, threads),
    decodingMethod: 'greedy_search',
  });
  return {
    async decode(samples, sampleRate) {
      const stream = recognizer.createStream();
      stream.acceptWaveform({ samples, sampleRate });
      const result = await recognizer.decodeAsync(stream);
      return typeof result.text === 'string' ? result.text.trim() : '';
    },
  };
}

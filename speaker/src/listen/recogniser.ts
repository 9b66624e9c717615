/**
 * Hears one answer after a question. Implementations: an offline engine on a microphone
 * (sherpa-onnx, when its model is installed), and the console, where the answer is typed.
 */
export interface Recogniser {
  /**
   * Listens until an answer has been said (then its transcript, '' when sound was heard but no
   * words), `maxMs` passed with nobody speaking (undefined), or `signal` aborted (undefined).
   */
  listen(options: { maxMs: number; signal: AbortSignal }): Promise<string | undefined>;
  close(): void;
}

/** Decodes one utterance (mono samples in [-1, 1]) to text; the engine behind a microphone recogniser. */
export interface SpeechDecoder {
  decode(samples: Float32Array, sampleRate: number): Promise<string>;
}

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWav } from '../audio/wav.js';
import { readJsonFile, SHIPPED_VOICE, speakerSettings } from '../config.js';
import { createSynthesiser } from '../speech/tts.js';
import { understandAnswer } from './grammar.js';
import { loadSherpaDecoder } from './sherpa-decoder.js';

describe('loading the offline recogniser', () => {
  it('says which model files are missing, without loading the engine', () => {
    expect(() =>
      loadSherpaDecoder({
        kind: 'sense-voice',
        model: '/nowhere/model.onnx',
        tokens: '/nowhere/tokens.txt',
        language: 'ja',
      }),
    ).toThrow('model files not found: /nowhere/model.onnx, /nowhere/tokens.txt');
  });
});

/**
 * With a real model (a settings file whose `recogniser` names one, in MIMAMORI_SPEECH_SETTINGS):
 * Open JTalk says the answers and the model must hear them as what they are. Models come from
 * their publishers, not from a registry, so this runs where an operator installed one; CI has none.
 */
const settingsFile = process.env.MIMAMORI_SPEECH_SETTINGS;
if (!settingsFile)
  console.warn(
    'skipping the recogniser on a real model: set MIMAMORI_SPEECH_SETTINGS to a settings file with a recogniser',
  );

describe.runIf(settingsFile !== undefined)('recognising spoken answers with a real model', () => {
  it.each([
    ['元気です', 'fine'],
    ['調子が悪いです', 'unwell'],
    ['助けて', 'help'],
    ['もう一度', 'repeat'],
  ] as const)('hears 「%s」 (said by Open JTalk) as %s', async (words, intent) => {
    const settings = readJsonFile(settingsFile ?? '', speakerSettings, 'settings file');
    if (!settings.recogniser) throw new Error(`${settingsFile} has no recogniser`);
    const decoder = loadSherpaDecoder(settings.recogniser.model, settings.recogniser.threads);
    const file = join(mkdtempSync(join(tmpdir(), 'asr-')), 'words.wav');
    await createSynthesiser({ ...settings.voice, htsVoice: SHIPPED_VOICE }, { rate: 1, volumeDb: 0 }).synthesise(
      words,
      'ja',
      file,
    );
    const { samples, sampleRate } = decodeWav(readFileSync(file));
    const text = await decoder.decode(samples, sampleRate);
    expect(understandAnswer(text, 'ja'), `heard 「${text}」`).toBe(intent);
  });
});

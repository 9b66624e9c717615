import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLog } from '@mimamori/device-link';
import { ManualClock } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../../tests/support/require-tool.js';
import { WavDirOut } from '../audio/audio-out.js';
import { chimeWav } from '../audio/chime.js';
import { SHIPPED_VOICE } from '../config.js';
import { createSynthesiser } from './tts.js';
import { Voice } from './voice.js';

const tools = [
  requireTool('open_jtalk', 'open-jtalk'),
  requireTool('espeak-ng', 'espeak-ng'),
  requireTool('sox', 'sox'),
];

/** Duration and RMS amplitude as sox measures them (`sox FILE -n stat`). */
function soxStat(file: string): { seconds: number; rms: number } {
  const { stderr } = spawnSync('sox', [file, '-n', 'stat'], { encoding: 'utf8' });
  const value = (label: string) => Number(new RegExp(`${label}:\\s+([\\d.]+)`).exec(stderr)?.[1]);
  return { seconds: value('Length \\(seconds\\)'), rms: value('RMS\\s+amplitude') };
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'voice-'));
  const clock = new ManualClock(Date.parse('2026-11-23T09:00:00+09:00'));
  const chimeFile = join(dir, 'chime.wav');
  writeFileSync(chimeFile, chimeWav());
  const voice = new Voice({
    synthesiser: createSynthesiser(
      { htsVoice: SHIPPED_VOICE, dictionary: '/var/lib/mecab/dic/open-jtalk/naist-jdic', espeakVoice: 'en' },
      { rate: 0.85, volumeDb: 0 },
    ),
    audio: new WavDirOut(join(dir, 'played'), clock),
    chimeFile,
    workDir: dir,
    log: silentLog,
  });
  const journal = join(dir, 'played', 'played.jsonl');
  const played = () =>
    (existsSync(journal) ? readFileSync(journal, 'utf8') : '')
      .split('\n')
      .filter(Boolean)
      .map(
        (l) =>
          JSON.parse(l) as {
            event: string;
            kind: string;
            file: string;
            stopped?: boolean;
            afterMs?: number;
            durationMs: number;
          },
      );
  return { dir, clock, voice, played };
}

const waitFor = async (accept: () => boolean) => {
  for (let i = 0; i < 200 && !accept(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
};

describe.runIf(tools.every(Boolean))('the voice, with Open JTalk and espeak-ng into WAV files', () => {
  it('says a Japanese prompt after the chime, as speech of plausible length and loudness, then an English one in turn', async () => {
    const { dir, clock, voice, played } = setup();
    const first = voice.say('おはようございます、さとうさん。今日の体調はいかがですか？', 'ja', {
      kind: 'prompt',
      chime: true,
    });
    const second = voice.say('I have passed on that you are fine. Thank you.', 'en', { kind: 'confirmation' });
    await waitFor(() => played().some((p) => p.kind === 'chime'));
    clock.advance(600); // the chime's length
    await waitFor(() => played().some((p) => p.kind === 'prompt'));
    expect(played().map((p) => `${p.event} ${p.kind}`)).toEqual(['start chime', 'end chime', 'start prompt']);
    const prompt = soxStat(join(dir, 'played', '0002-prompt.wav'));
    // About 11 morae a second at rate 0.85; measured 6.75 s.
    expect(prompt.seconds).toBeGreaterThan(4);
    expect(prompt.seconds).toBeLessThan(10);
    expect(prompt.rms).toBeGreaterThan(0.05);
    clock.advance(prompt.seconds * 1000 + 1);
    expect(await first.done).toBe('finished');
    await waitFor(() => played().some((p) => p.kind === 'confirmation'));
    const english = soxStat(join(dir, 'played', '0003-confirmation.wav'));
    expect(english.seconds).toBeGreaterThan(2);
    expect(english.rms).toBeGreaterThan(0.03);
    second.stop();
    expect(await second.done).toBe('stopped');
  });

  it('falls silent mid-sentence when stopped, and drops what waited to be said', async () => {
    const { clock, voice, played, dir } = setup();
    const prompt = voice.say('お薬は飲みましたか？よく眠れましたか？お食事はとりましたか？', 'ja', { kind: 'prompt' });
    const next = voice.say('もう一度お聞きします。', 'ja', { kind: 'prompt' });
    await waitFor(() => played().some((p) => p.kind === 'prompt'));
    clock.advance(1500);
    voice.stopAll();
    expect(await prompt.done).toBe('stopped');
    expect(await next.done).toBe('stopped');
    const end = played().find((p) => p.event === 'end' && p.kind === 'prompt');
    expect(end).toMatchObject({ stopped: true, afterMs: 1500 });
    expect(end?.durationMs).toBeGreaterThan(3000);
    expect(readdirSync(join(dir, 'played')).filter((f) => f.endsWith('.wav'))).toHaveLength(1);
  });

  it('gives way to an interrupting sentence (an SOS) at once', async () => {
    const { clock, voice, played } = setup();
    const prompt = voice.say('お薬は飲みましたか？よく眠れましたか？', 'ja', { kind: 'prompt' });
    await waitFor(() => played().some((p) => p.kind === 'prompt'));
    clock.advance(500);
    const sos = voice.say('お知らせしています。', 'ja', { kind: 'sos', interrupt: true });
    expect(await prompt.done).toBe('stopped');
    await waitFor(() => played().some((p) => p.kind === 'sos'));
    expect(played().map((p) => `${p.event} ${p.kind}`)).toEqual(['start prompt', 'end prompt', 'start sos']);
    sos.stop();
  });
});

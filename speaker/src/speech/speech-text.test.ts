import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../../tests/support/require-tool.js';
import { SHIPPED_VOICE } from '../config.js';
import { forSpeech } from './speech-text.js';

describe('text as the synthesiser should read it', () => {
  it.each([
    ['9:00に伺います', '9時に伺います'],
    ['10:30から', '10時30分から'],
    ['19:05', '19時5分'],
    ['室温が31.5℃まで上がっています', '室温が31.5度まで上がっています'],
    ['外は-2℃です', '外はマイナス2度です'],
    ['２８°Ｃ', '28度'],
    ['119番に電話してください', 'いちいちきゅう番に電話してください'],
    ['9時、30.5度', '9時、30.5度'],
  ])('Japanese: 「%s」 → 「%s」', (text, spoken) => {
    expect(forSpeech(text, 'ja')).toBe(spoken);
  });

  it.each([
    ['The room is at 31.5°C.', 'The room is at 31.5 degrees.'],
    ['at 9:00', "at 9 o'clock"],
    ['at 9:05', 'at 9 oh 5'],
    ['-3°C', 'minus 3 degrees'],
  ])('English: "%s" → "%s"', (text, spoken) => {
    expect(forSpeech(text, 'en')).toBe(spoken);
  });

  it('reads a telephone number written without hyphens digit by digit', () => {
    expect(forSpeech('0312345678に電話してください', 'ja')).toBe(
      'ぜろさんいちにいさんよんごうろくななはちに電話してください',
    );
  });
});

const haveOpenJTalk = requireTool('open_jtalk', 'open-jtalk');

/** The reading Open JTalk chooses for a sentence, from its trace (the tenth field of each morpheme). */
function openJTalkReading(text: string): string {
  const trace = join(mkdtempSync(join(tmpdir(), 'ojt-')), 'trace.txt');
  const run = spawnSync(
    'open_jtalk',
    ['-x', '/var/lib/mecab/dic/open-jtalk/naist-jdic', '-m', SHIPPED_VOICE, '-ot', trace, '-ow', '/dev/null'],
    { input: text },
  );
  expect(run.status).toBe(0);
  const lines = readFileSync(trace, 'utf8').split('[Text analysis result]')[1]?.split('\n[')[0] ?? '';
  return lines
    .split('\n')
    .filter((l) => l.includes(','))
    .map((l) => l.split(',')[9] ?? '')
    .join('')
    .replace(/[’、？]/g, '');
}

describe.runIf(haveOpenJTalk)('what Open JTalk then says (its own reading, from its trace)', () => {
  it.each([
    ['9:00', 'クジ'],
    ['10:30', 'ジュージサンジュップン'],
    ['室温が31.5℃', 'シツオンガサンジューイッテンゴド'],
    ['-2℃', 'マイナスニド'],
    ['119番', 'イチイチキューバン'],
    ['0120-123-456に', 'ゼロイチニーゼロイチニーサンヨンゴーロクニ'],
  ])('「%s」 is read %s', (text, reading) => {
    expect(openJTalkReading(forSpeech(text, 'ja'))).toBe(reading);
  });
});

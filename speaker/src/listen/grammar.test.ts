import { describe, expect, it } from 'vitest';
import { normaliseTranscript, understandAnswer, understandItem } from './grammar.js';

describe('what the resident’s words mean', () => {
  it.each([
    ['元気です', 'fine'],
    ['ゲンキデス', 'fine'],
    ['はい', 'fine'],
    ['はーい、大丈夫です。', 'fine'],
    ['おかげさまで、変わりありません', 'fine'],
    ['まあ悪くないよ', 'fine'],
    ['調子が悪いです', 'unwell'],
    ['ちょっと具合が悪くて', 'unwell'],
    ['元気じゃないです', 'unwell'],
    ['大丈夫ではありません', 'unwell'],
    ['はい、でも頭が痛いです', 'unwell'],
    ['いいえ', 'unwell'],
    ['助けて', 'help'],
    ['たすけてください', 'help'],
    ['救急車を呼んで', 'help'],
    ['元気だけど助けて', 'help'],
    ['もう一度', 'repeat'],
    ['もういっかい言って', 'repeat'],
    ['え？聞こえない', 'repeat'],
  ] as const)('「%s」 is %s', (words, intent) => {
    expect(understandAnswer(words, 'ja')).toBe(intent);
  });

  it.each([
    ["I'm fine, thanks", 'fine'],
    ['Yes.', 'fine'],
    ["I'm not feeling well", 'unwell'],
    ['not so good today', 'unwell'],
    ['I feel sick', 'unwell'],
    ['Help me', 'help'],
    ['Call an ambulance', 'help'],
    ['Pardon?', 'repeat'],
    ['say it again', 'repeat'],
  ] as const)('"%s" is %s', (words, intent) => {
    expect(understandAnswer(words, 'en')).toBe(intent);
  });

  it.each([
    ['', 'ja'],
    ['えーと', 'ja'],
    ['うーん', 'ja'],
    ['ええと', 'ja'],
    ['テレビの音', 'ja'],
    ['今日は雨ですね', 'ja'],
    ['hmm', 'en'],
    ['no', 'en'],
    ['the television', 'en'],
  ] as const)('never guesses an answer from 「%s」 (%s): it is not understood', (words, lang) => {
    expect(understandAnswer(words, lang)).toBeUndefined();
  });

  it.each([
    ['はい、飲みました', 'ok'],
    ['食べました', 'ok'],
    ['よく眠れました', 'ok'],
    ['まだです', 'not_ok'],
    ['飲んでいません', 'not_ok'],
    ['あまり眠れなかった', 'not_ok'],
    ['いいえ', 'not_ok'],
    ['助けて', 'help'],
    ['もう一度', 'repeat'],
    ['えーと', undefined],
  ] as const)('to an item question, 「%s」 is %s', (words, intent) => {
    expect(understandItem(words, 'ja')).toBe(intent);
  });

  it.each([
    ['Yes, I have', 'ok'],
    ["No, I haven't", 'not_ok'],
    ['not yet', 'not_ok'],
  ] as const)('to an item question, "%s" is %s', (words, intent) => {
    expect(understandItem(words, 'en')).toBe(intent);
  });

  it('reads recognisers’ different spellings alike', () => {
    expect(normaliseTranscript('ゲンキ デス。')).toBe('げんき です');
    expect(normaliseTranscript('Ｆｉｎｅ！')).toBe('fine');
  });
});

import type { CheckinItem } from '@mimamori/contract';
import { ManualClock } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import { RecordingMouth, ScriptedRecogniser, settle } from '../testing/recording-mouth.js';
import { PromptDialogue, type DialogueOutcome } from './prompt-dialogue.js';

const WAIT = 20_000;

function ask(options: { items?: CheckinItem[]; voice?: boolean; lang?: 'ja' | 'en' } = {}) {
  const clock = new ManualClock(Date.parse('2026-11-23T09:00:00+09:00'));
  const mouth = new RecordingMouth();
  const recogniser = options.voice ? new ScriptedRecogniser() : undefined;
  const dialogue = new PromptDialogue(
    {
      type: 'prompt',
      id: 'c1',
      promptId: 'p1',
      residentId: 'r1',
      text: 'おはようございます、さとうさん。今日の体調はいかがですか？',
      lang: options.lang ?? 'ja',
      choices: ['fine', 'unwell', 'help'],
      items: options.items ?? [],
      expiresAt: '2099-01-01T00:00:00Z',
    },
    { mouth, recogniser, clock, answerWaitMs: WAIT },
  );
  let outcome: DialogueOutcome | undefined;
  void dialogue.run().then((o) => (outcome = o));
  return { clock, mouth, recogniser, dialogue, outcome: () => outcome };
}

describe('asking a prompt', () => {
  it('says it after a chime and takes a green press as 「元気」, by button', async () => {
    const { mouth, dialogue, outcome } = ask();
    await settle();
    expect(mouth.said).toMatchObject([{ kind: 'prompt', chime: true, text: expect.stringContaining('さとうさん') }]);
    mouth.finish();
    await settle();
    dialogue.press({ button: 'green', long: false });
    await settle();
    expect(outcome()).toEqual({ kind: 'answered', answer: { answer: 'fine', via: 'button' } });
  });

  it('stops speaking when a button answers while the question is still being said', async () => {
    const { mouth, dialogue, outcome } = ask();
    await settle();
    dialogue.press({ button: 'yellow', long: false });
    await settle();
    expect(mouth.said[0]?.end).toBe('stopped');
    expect(outcome()).toEqual({ kind: 'answered', answer: { answer: 'unwell', via: 'button' } });
  });

  it('says it again once, with how to answer by button, and then gives up until the hub asks again', async () => {
    const { clock, mouth, outcome } = ask();
    await settle();
    mouth.finish();
    await settle();
    clock.advance(WAIT - 1);
    await settle();
    expect(mouth.said).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(mouth.said[1]).toMatchObject({ kind: 'prompt', chime: false });
    expect(mouth.said[1]?.text).toMatch(/^もう一度お聞きします。おはようございます.*緑のボタン/);
    mouth.finish();
    await settle();
    clock.advance(WAIT);
    await settle();
    expect(outcome()).toEqual({ kind: 'unanswered' });
    expect(mouth.said).toHaveLength(2);
  });

  it('repeats it for 「もう一度」 and the repeat button, and takes the spoken answer with its words', async () => {
    const { mouth, recogniser, outcome } = ask({ voice: true });
    await settle();
    mouth.finish();
    await settle();
    expect(recogniser?.hear('え、もう一度')).toBe(true);
    await settle();
    expect(mouth.said[1]).toMatchObject({ kind: 'prompt', text: expect.stringMatching(/^おはようございます/) });
    mouth.finish();
    await settle();
    recogniser?.hear('はい、元気です');
    await settle();
    expect(outcome()).toEqual({ kind: 'answered', answer: { answer: 'fine', via: 'voice', text: 'はい、元気です' } });
  });

  it('asks again when it cannot understand, and never takes what it did not understand as 「元気」', async () => {
    const { mouth, recogniser, clock, outcome } = ask({ voice: true });
    await settle();
    mouth.finish();
    await settle();
    recogniser?.hear('えーと');
    await settle();
    expect(mouth.said[1]).toMatchObject({
      kind: 'not-understood',
      text: expect.stringMatching(/聞き取れませんでした/),
    });
    mouth.finish();
    await settle();
    recogniser?.hear('テレビの音');
    await settle();
    // Twice not understood: as if unanswered, so the question is said again (with the button hint).
    expect(mouth.said[2]?.text).toMatch(/^もう一度お聞きします/);
    mouth.finish();
    await settle();
    recogniser?.hear(undefined); // silence
    await settle();
    clock.advance(WAIT);
    await settle();
    expect(outcome()).toEqual({ kind: 'unanswered' });
  });

  it('asks each structured item in turn; 体調 follows the main answer, and an unanswered item is left out', async () => {
    const { mouth, dialogue, clock, outcome } = ask({ items: ['health', 'medication', 'sleep', 'meal'] });
    const answerNext = async (button: 'green' | 'yellow' | undefined) => {
      await settle();
      mouth.finish();
      await settle();
      if (button) dialogue.press({ button, long: false });
      else clock.advance(WAIT);
      await settle();
    };
    await answerNext('green');
    expect(mouth.said[1]?.text).toBe(
      'お薬は飲みましたか？「はい」なら緑、「いいえ」なら黄色のボタンでもお答えいただけます。',
    );
    await answerNext('yellow');
    expect(mouth.said[2]?.text).toBe('よく眠れましたか？');
    await answerNext(undefined);
    expect(mouth.said[3]?.text).toBe('お食事はとりましたか？');
    await answerNext('green');
    expect(outcome()).toEqual({
      kind: 'answered',
      answer: { answer: 'fine', via: 'button', items: { health: 'ok', medication: 'not_ok', meal: 'ok' } },
    });
  });

  it('takes 「助けて」 at an item question as a call for help, asking nothing more', async () => {
    const { mouth, recogniser, dialogue, outcome } = ask({ items: ['medication', 'meal'], voice: true });
    await settle();
    mouth.finish();
    await settle();
    dialogue.press({ button: 'yellow', long: false });
    await settle();
    mouth.finish();
    await settle();
    recogniser?.hear('助けて');
    await settle();
    expect(outcome()).toEqual({ kind: 'answered', answer: { answer: 'help', via: 'button' } });
    expect(mouth.said).toHaveLength(2);
  });

  it('falls silent at once when stopped (a cancel) mid-sentence, and leaves green’s long press to the speaker', async () => {
    const { mouth, dialogue, outcome } = ask();
    await settle();
    expect(dialogue.press({ button: 'green', long: true })).toBe(false);
    dialogue.stop();
    await settle();
    expect(mouth.said[0]?.end).toBe('stopped');
    expect(outcome()).toEqual({ kind: 'stopped' });
  });

  it('speaks English to an English speaker', async () => {
    const { mouth, clock } = ask({ lang: 'en' });
    await settle();
    mouth.finish();
    await settle();
    clock.advance(WAIT);
    await settle();
    expect(mouth.said[1]?.text).toMatch(/^Let me ask again\..*press the green button/);
    expect(mouth.said[1]?.lang).toBe('en');
  });
});

import { checkinEvent, deviceCommand, type DeviceCommand } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import { describeHome } from './home-spec.js';
import { mulberry32 } from './rng.js';
import { answerPrompt } from './speaker.js';

const persona = describeHome(1, 0).persona;
const prompt = (choices: string[] = ['fine', 'unwell', 'help'], items: string[] = []) =>
  deviceCommand.parse({
    type: 'prompt',
    id: 'c1',
    promptId: 'p1',
    residentId: persona.residentId,
    text: 'おはようございます。お元気ですか？',
    choices,
    items,
    expiresAt: '2026-11-22T10:00:00+09:00',
  }) as Extract<DeviceCommand, { type: 'prompt' }>;

describe('the speaker answering a prompt', () => {
  it('answers every prompt when told to, with the prompt id, a valid check-in and a delay in the persona range', () => {
    const rng = mulberry32(1);
    for (let i = 0; i < 200; i++) {
      const answer = answerPrompt(persona, prompt(), rng, 1, 1);
      expect(answer).toBeDefined();
      expect(answer?.event).toMatchObject({
        type: 'checkin',
        promptId: 'p1',
        residentId: persona.residentId,
        via: 'voice',
      });
      expect(checkinEvent.safeParse({ ...answer?.event, id: `e${i}`, ts: 0 }).success).toBe(true);
      expect(answer?.delayMs).toBeGreaterThanOrEqual(persona.answerDelayMs[0]);
      expect(answer?.delayMs).toBeLessThanOrEqual(persona.answerDelayMs[1]);
    }
  });

  it('mostly answers "fine", sometimes "unwell"', () => {
    const rng = mulberry32(2);
    const answers = Array.from(
      { length: 1000 },
      () => answerPrompt({ ...persona, unwellChance: 0.1 }, prompt(), rng, 1, 1)?.event,
    );
    const unwell = answers.filter((e) => e?.type === 'checkin' && e.answer === 'unwell').length;
    expect(unwell).toBeGreaterThan(50);
    expect(unwell).toBeLessThan(150);
    expect(answers.filter((e) => e?.type === 'checkin' && e.answer === 'fine')).toHaveLength(1000 - unwell);
  });

  it('answers exactly the items the prompt asks, none when it asks none; health follows how the resident feels', () => {
    const rng = mulberry32(6);
    for (let i = 0; i < 100; i++) {
      expect(answerPrompt(persona, prompt(), rng, 1, 1)?.event).not.toHaveProperty('items');
      const event = answerPrompt(persona, prompt(undefined, ['health', 'sleep']), rng, 1, 1)?.event;
      expect(Object.keys(event?.type === 'checkin' ? (event.items ?? {}) : {})).toEqual(['health', 'sleep']);
      if (event?.type === 'checkin') expect(event.items?.health).toBe(event.answer === 'fine' ? 'ok' : 'not_ok');
    }
  });

  it('never answers when the resident does not, and answers only with an offered choice', () => {
    const rng = mulberry32(3);
    expect(answerPrompt(persona, prompt(), rng, 1, 0)).toBeUndefined();
    for (let i = 0; i < 50; i++)
      expect(answerPrompt(persona, prompt(['help']), rng, 1, 1)?.event).toMatchObject({ answer: 'help' });
  });

  it('follows the resident’s habit: late ones hear only a re-prompt, silent ones never answer, help asks for help', () => {
    const rng = mulberry32(4);
    const late = describeHome(1, 0, 'late').persona;
    expect(answerPrompt(late, prompt(), rng, 1, 1)).toBeUndefined();
    expect(answerPrompt(late, prompt(), rng, 2, 1)?.event).toMatchObject({ type: 'checkin', promptId: 'p1' });
    const silent = describeHome(1, 0, 'silent').persona;
    for (let attempt = 1; attempt <= 3; attempt++) expect(answerPrompt(silent, prompt(), rng, attempt)).toBeUndefined();
    const help = describeHome(1, 0, 'help').persona;
    expect(answerPrompt(help, prompt(), rng, 1)?.event).toMatchObject({ answer: 'help', text: '助けて' });
  });

  it('gives every everyday habit to a run of four homes, and the unwell resident is often unwell', () => {
    expect([0, 1, 2, 3].map((i) => describeHome(1, i).persona.speakerHabit).sort()).toEqual([
      'forgetful',
      'late',
      'prompt',
      'unwell',
    ]);
    const rng = mulberry32(5);
    const unwell = describeHome(1, 3).persona;
    const answers = Array.from({ length: 500 }, () => answerPrompt(unwell, prompt(), rng, 1, 1)?.event);
    const notFine = answers.filter((e) => e?.type === 'checkin' && e.answer !== 'fine').length;
    expect(notFine).toBeGreaterThan(150);
  });
});

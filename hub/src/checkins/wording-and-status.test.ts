import { describe, expect, it } from 'vitest';
import type { Occurrence, StoredSchedule } from '../store/index.js';
import { missedAlert } from './missed-alert.js';
import { promptText } from './prompt-text.js';
import { residentStatus } from './status.js';

const MINUTE = 60_000;
const DUE = Date.parse('2026-11-23T09:00:00+09:00');
const occurrence = (o: Partial<Occurrence>): Occurrence => ({
  id: 'ck_1',
  scheduleId: 's1',
  residentId: 'r1',
  homeId: 'h1',
  dueAt: DUE,
  startedAt: DUE,
  outcome: 'pending',
  promptsSent: 1,
  answer: null,
  items: null,
  answeredAt: null,
  lateAnswerAt: null,
  satisfiedBy: null,
  detectedLate: null,
  closedAt: null,
  ...o,
});

describe('what the speaker says', () => {
  it.each([
    [{ hour: 9, attempt: 1, items: [] }, 'おはようございます、佐藤さん。今日の体調はいかがですか？'],
    [
      { hour: 13, attempt: 1, items: ['meal'] },
      'こんにちは、佐藤さん。今日の体調はいかがですか？お食事はとりましたか？',
    ],
    [
      { hour: 19, attempt: 1, items: ['health', 'medication'] },
      'こんばんは、佐藤さん。今日一日、お変わりありませんでしたか？お薬は飲みましたか？',
    ],
    [
      { hour: 9, attempt: 2, items: ['sleep'] },
      '佐藤さん、見守りの確認です。今日の体調はいかがですか？よく眠れましたか？お元気でしたら「元気です」とお答えください。',
    ],
  ] as const)('in Japanese for %j', (wording, text) => {
    expect(promptText({ name: '佐藤 ハナ', lang: 'ja', ...wording })).toBe(text);
  });

  it.each([
    [{ hour: 8, attempt: 1 }, 'Good morning, Smith. How are you feeling today? Have you taken your medicine?'],
    [
      { hour: 20, attempt: 3 },
      'Smith, this is your check-in again. How are you feeling today? Have you taken your medicine? Please answer "I\'m fine" if you are well.',
    ],
  ] as const)('in English for %j', (wording, text) => {
    expect(promptText({ name: 'Smith', lang: 'en', items: ['medication'], ...wording })).toBe(text);
  });

  it('says the name from its reading in kana where staff recorded one, in Japanese only', () => {
    const wording = { hour: 9, attempt: 1, items: [] } as const;
    expect(promptText({ name: '東海林 ハナ', reading: 'しょうじ はな', lang: 'ja', ...wording })).toBe(
      'おはようございます、しょうじさん。今日の体調はいかがですか？',
    );
    expect(promptText({ name: '東海林 ハナ', reading: null, lang: 'ja', ...wording })).toMatch(/東海林さん/);
    expect(promptText({ name: 'Smith', reading: 'スミス', lang: 'en', ...wording })).toMatch(/^Good morning, Smith\./);
  });
});

describe('a resident’s status from stored facts', () => {
  const schedules = [{ spec: { pausedUntil: null } }] as unknown as StoredSchedule[];
  it.each([
    [
      'up after an answer',
      { recent: [occurrence({ outcome: 'answered', answeredAt: DUE + MINUTE })] },
      { status: 'up', since: DUE + MINUTE },
    ],
    ['pending after the first prompt', { recent: [occurrence({})] }, { status: 'pending', since: DUE }],
    ['late while re-prompting', { recent: [occurrence({ promptsSent: 2 })] }, { status: 'late', since: DUE }],
    [
      'missed after the window',
      { recent: [occurrence({ outcome: 'missed', closedAt: DUE + 60 * MINUTE })] },
      { status: 'missed', since: DUE + 60 * MINUTE },
    ],
    [
      'missed through later unasked ones',
      { recent: [occurrence({ outcome: 'not_asked' }), occurrence({ outcome: 'missed', closedAt: DUE })] },
      { status: 'missed', since: DUE },
    ],
    [
      'absent during an absence',
      { recent: [], absence: { startsAt: DUE - MINUTE } },
      { status: 'absent', since: DUE - MINUTE },
    ],
    ['up before any check-in', { recent: [] }, { status: 'up', since: null }],
  ] as const)('%s', (_, facts, expected) => {
    expect(residentStatus({ schedules, absence: undefined, ...facts }, DUE + 2 * 60 * MINUTE)).toEqual(expected);
  });

  it('is paused while every schedule is paused, and up again once the pause has ended', () => {
    const paused = [
      { spec: { pausedUntil: new Date(DUE + 60 * MINUTE).toISOString() } },
    ] as unknown as StoredSchedule[];
    expect(residentStatus({ schedules: paused, recent: [], absence: undefined }, DUE)).toEqual({
      status: 'paused',
      since: null,
    });
    expect(residentStatus({ schedules: paused, recent: [], absence: undefined }, DUE + 61 * MINUTE)).toEqual({
      status: 'up',
      since: null,
    });
  });
});

describe('the checkin.missed alert', () => {
  const context = {
    spec: { timezone: 'Asia/Tokyo', satisfiedBy: 'answer', activityFrom: '04:00' },
    tolerance: 1,
    late: undefined,
    rule: { id: 'checkin.missed', severity: 'warning' },
  } as const;
  const missed = occurrence({ outcome: 'missed' });

  it('says which check-in went unanswered', () => {
    expect(missedAlert(missed, { ...context, consecutive: 1 })).toMatchObject({
      rule: 'checkin.missed',
      severity: 'warning',
      residentId: 'r1',
      message: {
        ja: '09:00の見守り確認に応答がありませんでした。様子を確認してください。',
        en: 'No answer to the 09:00 check-in. Please check on the resident.',
      },
    });
  });

  it('waits for the resident’s tolerance, then counts the run and says when it was detected late', () => {
    expect(missedAlert(missed, { ...context, tolerance: 2, consecutive: 1 })).toBeUndefined();
    const late = { ja: '※ハブ停止（…）のため検知が遅れました。', en: ' Detected late.' };
    expect(missedAlert(missed, { ...context, tolerance: 2, consecutive: 2, late })?.message.ja).toBe(
      '09:00の見守り確認に応答がありませんでした（2回連続）。様子を確認してください。※ハブ停止（…）のため検知が遅れました。',
    );
  });

  it('with satisfiedBy activity, says there was no sensor activity either; nothing for settled check-ins', () => {
    expect(
      missedAlert(missed, {
        ...context,
        spec: { ...context.spec, satisfiedBy: 'activity', activityFrom: '05:00' },
        consecutive: 1,
      })?.message.ja,
    ).toContain('05:00以降、センサーの反応もありません。');
    expect(missedAlert(occurrence({ outcome: 'answered' }), { ...context, consecutive: 0 })).toBeUndefined();
  });
});

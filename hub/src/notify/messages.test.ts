import { describe, expect, it } from 'vitest';
import { anAlert } from '../testing/alert-fixture.js';
import { announcement, renderMessage, type MessageFacts } from './messages.js';

const alert = anAlert();
const home: MessageFacts['home'] = {
  id: 'h1',
  name: '佐藤さん宅',
  address: '岐阜市本町1-2-3',
  timezone: 'Asia/Tokyo',
  consent: { health: false, activity: false, medical: false },
  responsePlan: { keyHolder: '隣の田中さん', entryConsent: true, medicalNotes: '糖尿病（インスリン）' },
};
const facts = (over: Partial<MessageFacts> = {}): MessageFacts => ({
  event: 'alert.opened',
  alert,
  ruleType: 'checkin.concern',
  home,
  link: 'https://hub.example/#/alerts/a_1',
  ...over,
});
const volunteer = { role: 'volunteer', language: 'ja' } as const;

describe('renderMessage', () => {
  it('gives a volunteer without consent the emergency minimum: what happened, since when, address, response plan, link', () => {
    const { subject, text } = renderMessage(facts(), volunteer);
    expect(subject).toBe('【注意】佐藤さん宅');
    expect(text.split('\n')).toEqual([
      '【注意】佐藤さん宅',
      '呼びかけに、ご本人から連絡を求める返事がありました',
      '発生: 11月23日 9:05',
      '住所: 岐阜市本町1-2-3',
      '鍵: 隣の田中さん',
      '応答がなければ入室してよいと同意を得ています',
      'https://hub.example/#/alerts/a_1',
    ]);
    expect(text).not.toContain('体調が悪い');
    expect(text).not.toContain('糖尿病');
  });

  it('shows health detail and medical notes only as far as the resident consented; staff see both', () => {
    const health = renderMessage(
      facts({ home: { ...home, consent: { health: true, activity: false, medical: false } } }),
      volunteer,
    ).text;
    expect(health).toContain('体調が悪い');
    expect(health).not.toContain('糖尿病');
    const medical = renderMessage(
      facts({ home: { ...home, consent: { health: false, activity: false, medical: true } } }),
      volunteer,
    ).text;
    expect(medical).toContain('医療メモ: 糖尿病（インスリン）');
    expect(medical).not.toContain('体調が悪い');
    const staff = renderMessage(facts(), { role: 'staff', language: 'ja' }).text;
    expect(staff).toContain('体調が悪い');
    expect(staff).toContain('糖尿病');
  });

  it('writes in the recipient’s language', () => {
    const { subject, text } = renderMessage(facts(), { role: 'family', language: 'en' });
    expect(subject).toBe('[Warning]佐藤さん宅');
    expect(text).toContain('The check-in answer asks for someone to come');
    expect(text).toContain('Since: 23 Nov 9:05');
    expect(text).toContain('The resident agreed to entry when nobody answers');
  });

  it('says who has it, how it ended, and when it cleared, without repeating the address', () => {
    const actor = { displayName: '田中 一郎', affiliation: '民生委員' };
    const taken = renderMessage(facts({ event: 'alert.acknowledged', actor }), volunteer).text.split('\n');
    expect(taken.slice(0, 2)).toEqual(['【対応中】佐藤さん宅', '田中 一郎さんが向かっています。']);
    expect(taken.join('\n')).not.toContain('住所');
    const resolved = renderMessage(
      facts({ event: 'alert.resolved', actor, alert: { ...alert, status: 'resolved', outcome: 'hospital' } }),
      volunteer,
    ).text;
    expect(resolved).toContain('田中 一郎さんが対応しました。結果: 入院していました');
    const cleared = renderMessage(
      facts({ event: 'alert.cleared', reason: { ja: '活動がありました。', en: 'Activity resumed.' } }),
      volunteer,
    );
    expect(cleared.subject).toBe('【解除】佐藤さん宅');
    expect(cleared.text).toContain('活動がありました。');
  });

  it('announces who is coming, with their role when known', () => {
    expect(announcement({ displayName: '田中 一郎', affiliation: '民生委員' }, 'ja')).toBe(
      '民生委員の田中 一郎さんが向かっています。もう少しお待ちください。',
    );
    expect(announcement({ displayName: '田中 一郎', affiliation: null }, 'ja')).toBe(
      '田中 一郎さんが向かっています。もう少しお待ちください。',
    );
  });
});

import type { CheckinItem, CheckinScheduleInput, Resident } from '@mimamori/contract';
import type { Prompt } from '../ports/index.js';
import type { Occurrence } from '../store/index.js';
import { localParts } from './cron.js';
import { closesAt } from './ladder.js';

export interface PromptWording {
  /** The resident's name as registered, e.g. "佐藤 ハナ"; the family name is used when spoken. */
  name: string;
  /**
   * The name's reading in kana ("さとう はな") where staff recorded it: a Japanese prompt says
   * the name from it, since a speech synthesiser may misread a family name written in kanji.
   */
  reading?: string | null;
  lang: 'ja' | 'en';
  /** Local hour of the check-in (0–23), for the greeting. */
  hour: number;
  items: readonly CheckinItem[];
  /** 1 for the first prompt, 2 and up for re-prompts. */
  attempt: number;
}

const ITEM_QUESTIONS: Record<CheckinItem, { ja: string; en: string }> = {
  health: { ja: '', en: '' }, // the opening question already asks how they feel
  medication: { ja: 'お薬は飲みましたか？', en: 'Have you taken your medicine?' },
  sleep: { ja: 'よく眠れましたか？', en: 'Did you sleep well?' },
  meal: { ja: 'お食事はとりましたか？', en: 'Have you eaten?' },
};

/** What the speaker says: a greeting by time of day, the person's name, and the questions asked. */
export function promptText({ name, reading, lang, hour, items, attempt }: PromptWording): string {
  const spoken = lang === 'ja' && reading ? reading : name;
  // Spoken Japanese addresses people by family name + さん; a name without a space is used whole.
  const called = spoken.trim().split(/[\s\u3000]+/)[0] ?? spoken;
  const extra = items
    .map((item) => ITEM_QUESTIONS[item][lang])
    .filter(Boolean)
    .join(lang === 'ja' ? '' : ' ');
  if (lang === 'en') {
    const greeting = hour < 11 ? 'Good morning' : hour < 17 ? 'Hello' : 'Good evening';
    const opening = attempt > 1 ? `${called}, this is your check-in again.` : `${greeting}, ${called}.`;
    return [
      opening,
      'How are you feeling today?',
      extra,
      attempt > 1 ? 'Please answer "I\'m fine" if you are well.' : '',
    ]
      .filter(Boolean)
      .join(' ');
  }
  const greeting =
    hour >= 4 && hour < 11 ? 'おはようございます' : hour >= 11 && hour < 17 ? 'こんにちは' : 'こんばんは';
  const question = hour >= 17 || hour < 4 ? '今日一日、お変わりありませんでしたか？' : '今日の体調はいかがですか？';
  if (attempt > 1)
    return `${called}さん、見守りの確認です。${question}${extra}お元気でしたら「元気です」とお答えください。`;
  return `${greeting}、${called}さん。${question}${extra}`;
}

/** The prompt for an occurrence's `attempt` (1 first, 2+ re-prompts), answerable until its window closes. */
export function checkinPrompt(
  o: Occurrence,
  spec: CheckinScheduleInput,
  resident: Pick<Resident, 'name' | 'reading' | 'language'>,
  attempt: number,
): Prompt {
  return {
    promptId: o.id,
    residentId: o.residentId,
    text: promptText({
      name: resident.name,
      reading: resident.reading,
      lang: resident.language,
      hour: localParts(o.dueAt, spec.timezone).hour,
      items: spec.items,
      attempt,
    }),
    lang: resident.language,
    choices: ['fine', 'unwell', 'help'],
    items: spec.items,
    expiresAt: new Date(closesAt(o, spec)).toISOString(),
  };
}

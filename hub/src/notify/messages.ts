import type { Alert, AlertOutcome, Home, Language, Role, RuleType } from '@mimamori/contract';
import { localDate, localMinuteOfDay } from '../time/local-time.js';

/** One alert transition as told to people (and bridges). */
export type TransitionEvent =
  | 'alert.opened'
  | 'alert.severity_raised'
  | 'alert.escalated'
  | 'alert.reminder'
  | 'alert.acknowledged'
  | 'alert.released'
  | 'alert.resolved'
  | 'alert.cleared';

export interface MessageFacts {
  event: TransitionEvent;
  alert: Alert;
  ruleType: RuleType | undefined;
  home: Pick<Home, 'id' | 'name' | 'address' | 'timezone' | 'consent' | 'responsePlan'>;
  /** Who acknowledged or resolved it. */
  actor?: { displayName: string; affiliation: string | null } | undefined;
  /** Why it cleared, with `alert.cleared`. */
  reason?: { ja: string; en: string } | undefined;
  /** The alert's page in the dashboard. */
  link: string;
}

export interface Recipient {
  role: Role;
  language: Language;
}

export interface Message {
  subject: string;
  text: string;
}

/**
 * What happened, in words that reveal no health detail: the emergency minimum a volunteer sees
 * without the resident's consent. The alert's own message (which may say "体調が悪い") is
 * shown only to staff, or to watchers when the resident agreed to share health.
 */
const WHAT_HAPPENED: Record<RuleType, { ja: string; en: string }> = {
  sos: { ja: 'SOSボタンが押されました', en: 'The SOS button was pressed' },
  'checkin.missed': { ja: '見守りの呼びかけに応答がありません', en: 'No answer to the daily check-in' },
  'checkin.concern': {
    ja: '呼びかけに、ご本人から連絡を求める返事がありました',
    en: 'The check-in answer asks for someone to come',
  },
  inactivity: { ja: 'しばらく生活の動きが見られません', en: 'No activity in the home for a while' },
  'silence.unusual': { ja: 'いつもより長く生活の動きが見られません', en: 'No activity for longer than usual' },
  'out.long': { ja: '外出されたまま長く戻られていないようです', en: 'Out for a long time, it seems' },
  'wake.late': { ja: '朝の動きがいつもより遅れています', en: 'Morning activity is later than usual' },
  'activity.drop': { ja: '生活の動きがいつもより少なくなっています', en: 'Less activity than usual' },
  'night.activity': { ja: '夜間にいつもと違う動きがあります', en: 'Unusual activity at night' },
  'environment.heat': { ja: '室温が高く、熱中症のおそれがあります', en: 'The room is hot: risk of heatstroke' },
  'environment.cold': { ja: '室温が低く、体調を崩すおそれがあります', en: 'The room is cold: risk to health' },
  'usage.continuous': { ja: '電気機器が長時間使われ続けています', en: 'An appliance has been on for a long time' },
  'device.offline': { ja: '見守り機器から連絡がありません', en: 'A watch-over device has gone silent' },
  'device.battery': { ja: '見守り機器の電池が少なくなっています', en: 'A watch-over device’s battery is low' },
};

const OUTCOMES: Record<AlertOutcome, { ja: string; en: string }> = {
  fine: { ja: '元気でした', en: 'was fine' },
  asleep: { ja: '寝ていました', en: 'was asleep' },
  out: { ja: '外出していました', en: 'was out' },
  hospital: { ja: '入院していました', en: 'was in hospital' },
  ambulance: { ja: '救急搬送しました', en: 'was taken to hospital by ambulance' },
  deceased: { ja: '亡くなっていました', en: 'had died' },
  device_fault: { ja: '機器の不具合でした', en: 'a device fault' },
  false_alarm_other: { ja: 'その他の誤報でした', en: 'another false alarm' },
};

const MARK = {
  ja: { critical: '【緊急】', warning: '【注意】', info: '【お知らせ】' },
  en: { critical: '[URGENT]', warning: '[Warning]', info: '[Info]' },
} as const;

/** Whether this recipient may read what the alert says about the resident's health. */
const seesHealth = (recipient: Pick<Recipient, 'role'>, home: Pick<Home, 'consent'>): boolean =>
  recipient.role === 'admin' || recipient.role === 'staff' || home.consent.health;
const seesMedical = (recipient: Recipient, home: MessageFacts['home']): boolean =>
  recipient.role === 'admin' || recipient.role === 'staff' || home.consent.medical;

/**
 * A short message for one recipient, in their language, carrying only what the home's consent
 * record lets them see: what happened, since when, the address and the response plan always;
 * health detail and medical notes only with consent. Pure, so the consent rules are tested alone.
 */
export function renderMessage(facts: MessageFacts, recipient: Recipient): Message {
  const lang = recipient.language;
  const { alert, home } = facts;
  const happened = visibleMessage(alert, facts.ruleType, home, recipient.role)[lang];
  const since = localTimeLabel(Date.parse(alert.openedAt), home.timezone, lang);
  const { tag, sentence } = headlineOf(facts, lang);
  const subject = `${tag}${home.name}`;
  const lines = [subject, ...(sentence ? [sentence] : []), happened];
  if (
    facts.event === 'alert.opened' ||
    facts.event === 'alert.escalated' ||
    facts.event === 'alert.reminder' ||
    facts.event === 'alert.released' ||
    facts.event === 'alert.severity_raised'
  ) {
    lines.push(lang === 'ja' ? `発生: ${since}` : `Since: ${since}`);
    if (home.address) lines.push(lang === 'ja' ? `住所: ${home.address}` : `Address: ${home.address}`);
    lines.push(...planLines(home, recipient, lang));
  }
  lines.push(facts.link);
  return { subject, text: lines.join('\n') };
}

/** The alert's words as this role may read them: its own message, or, without health consent, only what happened. */
export function visibleMessage(
  alert: Pick<Alert, 'message'>,
  ruleType: RuleType | undefined,
  home: Pick<Home, 'consent'>,
  role: Role,
): { ja: string; en: string } {
  if (seesHealth({ role }, home)) return alert.message;
  return (ruleType && WHAT_HAPPENED[ruleType]) ?? { ja: '見守りの確認が必要です', en: 'The home needs a check' };
}

/** The tag that leads the subject (【緊急】…) and, for follow-ups, the sentence that says what changed. */
function headlineOf(facts: MessageFacts, lang: Language): { tag: string; sentence?: string } {
  const who = facts.actor ? (lang === 'ja' ? `${facts.actor.displayName}さん` : facts.actor.displayName) : '';
  const mark = MARK[lang][facts.alert.severity];
  switch (facts.event) {
    case 'alert.opened':
      return { tag: mark };
    case 'alert.severity_raised':
      return { tag: mark, sentence: lang === 'ja' ? '緊急度が上がりました。' : 'This is now more severe.' };
    case 'alert.escalated':
      return { tag: mark, sentence: lang === 'ja' ? 'まだ誰も対応していません。' : 'Nobody has taken this yet.' };
    case 'alert.reminder':
      return {
        tag: lang === 'ja' ? '【確認のお願い】' : '[Reminder] ',
        sentence:
          lang === 'ja'
            ? 'まだ対応終了の報告がありません。その後の様子をお知らせください。'
            : 'Not resolved yet: please report how it went.',
      };
    case 'alert.acknowledged':
      return {
        tag: lang === 'ja' ? '【対応中】' : '[Taken] ',
        sentence: lang === 'ja' ? `${who}が向かっています。` : `${who} is on the way.`,
      };
    case 'alert.released':
      return {
        tag: mark,
        sentence:
          lang === 'ja'
            ? `${who}は行けなくなりました。向かえる方は「向かいます」を押してください。`
            : `${who} cannot go after all. If you can, say "I'm going".`,
      };
    case 'alert.resolved': {
      const outcome = OUTCOMES[facts.alert.outcome ?? 'false_alarm_other'][lang];
      return {
        tag: lang === 'ja' ? '【対応済】' : '[Resolved] ',
        sentence: lang === 'ja' ? `${who}が対応しました。結果: ${outcome}` : `Resolved by ${who}: ${outcome}.`,
      };
    }
    case 'alert.cleared':
      return {
        tag: lang === 'ja' ? '【解除】' : '[All clear] ',
        sentence: facts.reason?.[lang] ?? (lang === 'ja' ? '状況が解消しました。' : 'The condition has ended.'),
      };
  }
}

function planLines(home: MessageFacts['home'], recipient: Recipient, lang: Language): string[] {
  const plan = home.responsePlan;
  const lines: string[] = [];
  if (plan.keyHolder) lines.push(lang === 'ja' ? `鍵: ${plan.keyHolder}` : `Key: ${plan.keyHolder}`);
  lines.push(
    lang === 'ja'
      ? plan.entryConsent
        ? '応答がなければ入室してよいと同意を得ています'
        : '入室の同意はありません'
      : plan.entryConsent
        ? 'The resident agreed to entry when nobody answers'
        : 'No consent to enter',
  );
  if (plan.notes) lines.push(plan.notes);
  if (plan.medicalNotes && seesMedical(recipient, home))
    lines.push(lang === 'ja' ? `医療メモ: ${plan.medicalNotes}` : `Medical: ${plan.medicalNotes}`);
  return lines;
}

/** "11月23日 9:05" or "23 Nov 9:05" in the home's time zone. */
function localTimeLabel(at: number, timezone: string, lang: Language): string {
  const [, month, day] = localDate(at, timezone).split('-').map(Number) as [number, number, number];
  const minutes = localMinuteOfDay(at, timezone);
  const clock = `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
  return lang === 'ja' ? `${month}月${day}日 ${clock}` : `${day} ${MONTHS[month - 1]} ${clock}`;
}
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The announcement on the resident's speaker once someone has the alert. */
export function announcement(actor: { displayName: string; affiliation: string | null }, lang: Language): string {
  return lang === 'ja'
    ? `${actor.affiliation ? `${actor.affiliation}の` : ''}${actor.displayName}さんが向かっています。もう少しお待ちください。`
    : `${actor.displayName}${actor.affiliation ? ` (${actor.affiliation})` : ''} is on the way. Help is coming.`;
}

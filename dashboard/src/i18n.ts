import { useEffect, useState } from 'preact/hooks';

export type Lang = 'ja' | 'en';

/**
 * Every word of the dashboard, Japanese first. Written for elderly volunteers: short, polite
 * and plain (「向かいます」 rather than 「確認に行く」).
 */
const WORDS = {
  appName: { ja: '見守りハブ', en: 'Mimamori Hub' },
  login: { ja: 'ログイン', en: 'Log in' },
  logout: { ja: 'ログアウト', en: 'Log out' },
  username: { ja: 'ユーザー名', en: 'Username' },
  password: { ja: 'パスワード', en: 'Password' },
  myAlerts: { ja: 'お知らせ', en: 'Alerts' },
  noAlerts: { ja: 'いま対応が必要なお知らせはありません', en: 'Nothing needs you right now' },
  claim: { ja: '向かいます', en: "I'm going" },
  goingNow: { ja: 'さんが向かっています', en: ' is on the way' },
  youAreGoing: { ja: 'あなたが向かっています', en: 'You are on the way' },
  resolve: { ja: '対応を終える', en: 'Finish' },
  outcomeQuestion: { ja: 'どうでしたか？', en: 'How was it?' },
  note: { ja: 'メモ（任意）', en: 'Note (optional)' },
  save: { ja: '記録する', en: 'Save' },
  cancel: { ja: 'やめる', en: 'Cancel' },
  since: { ja: '発生', en: 'Since' },
  homePage: { ja: 'お宅の情報', en: 'About the home' },
  notInNetwork: {
    ja: 'このお宅はあなたの見守りネットワークに入っていないため、表示できません。',
    en: 'This home is not in your watch-over network, so it cannot be shown.',
  },
  address: { ja: '住所', en: 'Address' },
  map: { ja: '地図で見る', en: 'Open map' },
  keyHolder: { ja: '鍵', en: 'Key' },
  entryYes: { ja: '応答がなければ入室してよいと同意を得ています', en: 'Agreed: you may enter when nobody answers' },
  entryNo: { ja: '入室の同意はありません', en: 'No consent to enter' },
  medicalNotes: { ja: '医療メモ', en: 'Medical notes' },
  watchers: { ja: '見守りの担当', en: 'Who watches' },
  recentCheckins: { ja: '最近の呼びかけへの応答', en: 'Recent check-ins' },
  activity: { ja: '生活の動き（1時間ごと）', en: 'Activity per hour' },
  notShared: { ja: 'ご本人の同意がないため表示しません', en: 'Not shared: no consent' },
  absences: { ja: '不在', en: 'Absences' },
  registerAbsence: { ja: '不在を登録する', en: 'Register an absence' },
  absenceUntil: { ja: 'いつまで', en: 'Until' },
  absenceReason: { ja: '理由', en: 'Reason' },
  noAbsence: { ja: '登録されている不在はありません', en: 'No absence registered' },
  notifications: { ja: 'この端末に通知を受け取る', en: 'Get notifications on this phone' },
  notificationsOn: { ja: '通知を受け取る設定にしました', en: 'Notifications are on' },
  board: { ja: '全体の様子', en: 'Status board' },
  rules: { ja: 'ルール', en: 'Rules' },
  reports: { ja: '月次報告', en: 'Monthly report' },
  audit: { ja: '閲覧・変更の記録', en: 'Audit log' },
  people: { ja: '利用者', en: 'Users' },
  district: { ja: '地区', en: 'District' },
  all: { ja: 'すべて', en: 'All' },
  reason: { ja: '変更の理由（必須）', en: 'Reason for the change (required)' },
  params: { ja: 'パラメーター', en: 'Parameters' },
  publish: { ja: '変更を公開する', en: 'Publish the change' },
  backtest: { ja: '過去の記録で試す', en: 'Try on past weeks' },
  from: { ja: '開始', en: 'From' },
  to: { ja: '終了', en: 'To' },
  live: { ja: '現在の設定', en: 'Live' },
  proposal: { ja: '変更案', en: 'Proposal' },
  day: { ja: '日付', en: 'Day' },
  versions: { ja: '変更履歴', en: 'Versions' },
  downloadCsv: { ja: 'CSV をダウンロード', en: 'Download CSV' },
  month: { ja: '月', en: 'Month' },
  loading: { ja: '読み込み中…', en: 'Loading…' },
  noCheckins: { ja: 'この期間の呼びかけの記録はありません', en: 'No check-ins in this period' },
} as const satisfies Record<string, Record<Lang, string>>;

export type Word = keyof typeof WORDS;

export const OUTCOME_WORDS = {
  fine: { ja: '元気だった', en: 'Fine' },
  asleep: { ja: '寝ていた', en: 'Asleep' },
  out: { ja: '外出していた', en: 'Out' },
  hospital: { ja: '入院していた', en: 'In hospital' },
  ambulance: { ja: '救急車を呼んだ', en: 'Ambulance called' },
  deceased: { ja: '亡くなっていた', en: 'Deceased' },
  device_fault: { ja: '機器の不具合だった', en: 'Device fault' },
  false_alarm_other: { ja: 'その他の誤報', en: 'Other false alarm' },
} as const;

/** A check-in as a person would say it: the resident's answer when there is one, else how it ended. */
export const CHECKIN_WORDS = {
  fine: { ja: '元気', en: 'Fine' },
  unwell: { ja: '具合が悪い', en: 'Unwell' },
  help: { ja: '助けを求めた', en: 'Asked for help' },
  unknown: { ja: '答えが聞き取れなかった', en: 'Answer not understood' },
  pending: { ja: '応答待ち', en: 'Waiting for an answer' },
  answered: { ja: '応答あり', en: 'Answered' },
  satisfied: { ja: '生活の動きで確認', en: 'Seen through activity' },
  missed: { ja: '応答なし', en: 'No answer' },
  absent: { ja: '不在のため呼びかけなし', en: 'Away: not asked' },
  paused: { ja: '休止中', en: 'Paused' },
  not_asked: { ja: 'ハブ停止中で呼びかけなし', en: 'Not asked: hub was down' },
} as const;

export const ABSENCE_WORDS = {
  hospital: { ja: '入院', en: 'Hospital' },
  trip: { ja: '旅行', en: 'Trip' },
  day_service: { ja: 'デイサービス', en: 'Day service' },
  family: { ja: '家族宅', en: 'With family' },
  other: { ja: 'その他', en: 'Other' },
} as const;

let current: Lang = localStorage.getItem('lang') === 'en' ? 'en' : 'ja';
const listeners = new Set<() => void>();

export function setLang(lang: Lang): void {
  current = lang;
  localStorage.setItem('lang', lang);
  document.documentElement.lang = lang;
  listeners.forEach((listener) => listener());
}

export const t = (word: Word): string => WORDS[word][current];
export const lang = (): Lang => current;

/** Re-renders the calling component when the language changes. */
export function useLang(): Lang {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return current;
}

/** "11月23日 9:05" / "23 Nov 9:05" in the browser's zone (the home's zone for Japanese homes). */
export function when(iso: string): string {
  return new Intl.DateTimeFormat(current === 'ja' ? 'ja-JP' : 'en-GB', {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(iso));
}

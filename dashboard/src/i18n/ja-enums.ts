import type {
  AbsenceReason,
  AlertOutcome,
  CheckinOutcome,
  CheckinItem,
  ConsentMethod,
  DeviceKind,
  Entity,
  Language,
  ResidentCheckinState,
  Role,
  Severity,
} from '@mimamori/contract';

/** The contract's enums in Japanese: every value the hub sends has a word here (en-enums.ts mirrors it). */
export const jaEnums = {
  severity: { critical: '緊急', warning: '注意', info: 'お知らせ' },
  alertStatus: { open: '未対応', acknowledged: '対応中', resolved: '対応済み', auto_resolved: '自然に解消' },
  outcome: {
    fine: '元気だった',
    asleep: '寝ていた',
    out: '外出していた',
    hospital: '入院していた',
    ambulance: '救急車を呼んだ',
    deceased: '亡くなっていた',
    device_fault: '機器の不具合だった',
    false_alarm_other: 'その他の誤報だった',
  },
  absenceReason: { hospital: '入院', trip: '旅行', day_service: 'デイサービス', family: '家族宅', other: 'その他' },
  deviceKind: {
    speaker: 'スマートスピーカー',
    motion: '人感センサー',
    door: 'ドアセンサー',
    environment: '温湿度センサー',
    power: '電力センサー',
    sos_button: 'SOSボタン',
    gateway: 'Zigbeeゲートウェイ',
    alexa: 'Amazon Echo（アレクサ）',
  },
  role: { admin: '管理者', staff: '職員', volunteer: 'ボランティア・民生委員', family: '家族' },
  language: { ja: '日本語', en: '英語' },
  /** A check-in as a person would say it: the resident's answer when there is one, else how it ended. */
  checkin: {
    fine: '元気',
    unwell: '具合が悪い',
    help: '助けを求めた',
    unknown: '聞き取れなかった',
    pending: '応答待ち',
    answered: '応答あり',
    satisfied: '生活の動きで確認',
    missed: '応答なし',
    absent: '不在のため呼びかけなし',
    paused: '休止中',
    not_asked: 'ハブ停止中のため呼びかけなし',
  },
  residentState: {
    up: '応答あり',
    pending: '応答待ち',
    late: '再呼びかけ中',
    missed: '応答なし',
    absent: '不在',
    paused: '呼びかけ休止中',
  },
  item: { health: '体調', medication: 'お薬', sleep: '睡眠', meal: '食事' },
  satisfiedBy: {
    answer: 'スピーカーへの応答だけで確認する',
    activity: '応答がなくても、朝からの生活の動きがあれば確認できたとみなす',
  },
  consentMethod: {
    paper_form: '同意書（紙）',
    in_person: '訪問して口頭で',
    by_phone: '電話で',
    family_on_behalf: 'ご家族が代わりに',
  },
  light: { green: '異常なし', yellow: '注意', red: '要対応' },
  entity: {
    home: 'お宅',
    resident: 'お住まいの方',
    device: '機器',
    echo: 'Echo（アレクサ）',
    schedule: '呼びかけの予定',
    absence: '不在の登録',
    alert: 'お知らせ',
    user: '利用者',
    rule: 'ルール',
    network: '見守りネットワーク',
  },
} as const satisfies {
  severity: Record<Severity, string>;
  outcome: Record<AlertOutcome, string>;
  absenceReason: Record<AbsenceReason, string>;
  deviceKind: Record<DeviceKind, string>;
  role: Record<Role, string>;
  language: Record<Language, string>;
  checkin: Record<CheckinOutcome | 'fine' | 'unwell' | 'help' | 'unknown', string>;
  residentState: Record<ResidentCheckinState, string>;
  item: Record<CheckinItem, string>;
  consentMethod: Record<ConsentMethod, string>;
  entity: Record<Entity, string>;
  [other: string]: Record<string, string>;
};

/** The outcomes in the order a volunteer chooses from. */
export const OUTCOMES = Object.keys(jaEnums.outcome) as AlertOutcome[];

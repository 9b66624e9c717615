import type { Problem, ProblemParams } from '@mimamori/contract';
import { jaEnums } from './ja-enums.js';

/**
 * The hub's problems in Japanese (issue 19 item 10): every code of the contract's catalogue has
 * a sentence here, which the compiler holds complete. In English the hub's own message is shown.
 */
const list = (items: readonly string[]) => items.join('、');
const amount = (origin: string, n: number) =>
  origin === 'string' ? `${n}文字` : origin === 'array' || origin === 'set' ? `${n}件` : `${n}`;

export const jaProblems: { [P in Problem]: (params: ProblemParams[P]) => string } = {
  required: () => '入力してください',
  wrong_type: (p) => (p.expected === 'int' ? '整数で入力してください' : '入力の形式が違います'),
  too_small: (p) =>
    p.origin === 'string' && p.minimum === 1
      ? '入力してください'
      : `${amount(p.origin, p.minimum)}${p.inclusive ? '以上' : 'より大きく'}にしてください`,
  too_big: (p) => `${amount(p.origin, p.maximum)}${p.inclusive ? '以下' : '未満'}にしてください`,
  bad_format: (p) => FORMAT[p.format],
  not_one_of: (p) => `次のどれかを選んでください: ${list(p.values)}`,
  unknown_fields: (p) => `ハブが知らない項目があります（${list(p.keys)}）`,
  invalid: () => '入力を確かめてください',
  tier_needs_member: () => '各段階に担当者を1人以上入れてください',
  window_too_short: () => '応答を待つ時間は、再呼びかけの回数×間隔より長くしてください',
  start_tier_beyond_tiers: (p) => `段階は${p.tiers}つしかありません`,
  hours_must_differ: () => '始まりと終わりを別の時刻にしてください',
  range_reversed: () => '終わりは始まりより後にしてください',
  range_too_long: (p) => `期間は${p.maxDays}日以内にしてください`,
  timezone_unknown: () => 'タイムゾーンが正しくありません（例: Asia/Tokyo）',
  cron_invalid: () => '呼びかけの時刻の指定が正しくありません',
  password_short: (p) => `パスワードは${p.minimum}文字以上にしてください`,
  password_common: () => 'よく使われていて推測されやすいパスワードです。別のものにしてください',
  password_is_username: () => 'ユーザー名と同じパスワードは使えません',
  password_repeated: () => '同じ文字の繰り返しはパスワードに使えません',
  home_missing: (p) => `お宅（${p.id}）が見つかりません`,
  users_missing: (p) => `登録されていない利用者が含まれています（${list(p.ids)}）`,
  webhooks_missing: (p) => `設定されていない連携先が含まれています（${list(p.names)}）`,
  range_invalid: (p) => `終わりは始まりより後、${p.maxDays}日以内にしてください`,
  end_not_future: () => '終わりは、今より後で始まりより後の日時にしてください',
  end_too_far: (p) => `${p.maxDays}日を超える不在は、確認のうえ理由を書いて登録してください`,
  version_missing: (p) => `このルールに第${p.version}版はありません`,
  rule_exists: (p) => `ルール「${p.id}」はすでにあります`,
  id_taken: (p) => `「${p.id}」はすでに使われています`,
  body_empty: () => '送る内容が空です',
  forbidden_key: () => '使えない項目名が含まれています',
  login_required: () => 'ログインしてください',
  login_failed: () => 'ユーザー名かパスワードが違います',
  login_throttled: (p) => `ログインの失敗が続いたため、${Math.ceil(p.seconds / 60)}分ほどお待ちください`,
  role_required: () => 'この操作をする権限がありません',
  cross_site: () => 'ほかのサイトからの操作は受け付けていません',
  home_not_in_network: () => 'このお宅はあなたの見守りネットワークに入っていないため、表示できません。',
  role_not_manageable: () => '職員と管理者の登録や変更は、管理者だけができます',
  not_yourself: () => 'ご自分の利用停止や役割の変更はできません',
  not_found: (p) => `${jaEnums.entity[p.entity]}が見つかりません（${p.id}）`,
  override_missing: () => 'このお宅にはルールの個別設定がありません',
  no_route: () => 'この操作はハブにありません',
  username_taken: (p) => `ユーザー名「${p.username}」はすでに使われています`,
  alert_resolved: () => 'このお知らせは、すでに対応が終わっています',
  alert_cleared: () => 'このお知らせは、状況が解消して終わっています',
  alert_taken: (p) => `${p.byName ?? p.by}さんがすでに向かっています`,
  alert_not_taken: () => 'まだ誰も向かっていません',
  alert_taken_by_other: (p) =>
    `${p.byName ?? p.by}さんが向かっています。取り消せるのは${p.byName ?? p.by}さんご自身か職員だけです`,
  absence_overlaps: () => 'この期間にはすでに不在が登録されています。そちらを延長してください',
  backtest_needs_events: () => 'このルールは呼びかけの記録から判断するため、過去の記録では試せません',
  malformed_request: () => '送った内容をハブが読めませんでした',
  payload_too_large: () => '送る内容が大きすぎます',
  internal: () => 'ハブでエラーが起きました。時間をおいてもう一度お試しください',
};

const FORMAT: Record<ProblemParams['bad_format']['format'], string> = {
  local_time: '時刻は 09:00 のように入力してください',
  entity_id: '半角の英数字と「-」「_」で入力してください',
  rule_id: '半角の小文字・数字と「.」「-」「_」で入力してください',
  cron: '「分 時 日 月 曜日」の5つで指定してください（例: 0 9 * * *）',
  month: '年月は 2026-04 のように入力してください',
  username: 'ユーザー名は半角の英数字と「. _ @ -」で入力してください',
  z2m_name: '「/」「+」「#」は使えません',
  phone: '電話番号は 090-1234-5678 のように入力してください',
  kana: 'ひらがなかカタカナで入力してください（例: さとう はな）',
  email: 'メールアドレスの形式が正しくありません',
  url: 'URL の形式が正しくありません',
  datetime: '日時の形式が正しくありません',
  other: '形式が正しくありません',
};

/** What a field is called on the dashboard's forms, by the last name in its path. */
export const jaFields: Record<string, string> = {
  name: '名前',
  reading: 'ふりがな',
  address: '住所',
  district: '地区',
  timezone: 'タイムゾーン',
  endsAt: '終わり',
  startsAt: '始まり',
  cron: '呼びかけの時刻',
  password: 'パスワード',
  username: 'ユーザー名',
  displayName: '名前',
  email: 'メール',
  reason: '理由',
  from: '始まり',
  to: '終わり',
  tiers: '見守りネットワーク',
  watchers: '担当者',
  ackTimeoutMinutes: '応答を待つ時間',
  windowMinutes: '応答を待つ時間',
};

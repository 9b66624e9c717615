import type { z } from 'zod';
import type { RuleType, ruleParams } from './rules.js';

/** Words in both languages the hub speaks. */
export interface Words {
  ja: string;
  en: string;
}

/** How a parameter is shown on a form: its label, its unit and a line of help. */
export interface FieldText {
  label: Words;
  unit?: Words;
  help?: Words;
}

type ParamName<T extends RuleType> = keyof z.input<(typeof ruleParams)[T]> & string;

const MINUTES: Words = { ja: '分', en: 'min' };
const DAYS: Words = { ja: '日', en: 'days' };
const TIMES: Words = { ja: '倍', en: '×' };
const minDays: FieldText = {
  label: { ja: '学習に使う日数', en: 'Days of history needed' },
  unit: DAYS,
  help: {
    ja: 'この日数の記録がたまるまでは判定しません',
    en: 'The rule judges nobody until a home has this much history',
  },
};
const environment = (hot: boolean): Record<ParamName<'environment.heat'>, FieldText> => ({
  thresholdC: {
    label: hot ? { ja: 'この室温以上で', en: 'At or above' } : { ja: 'この室温以下で', en: 'At or below' },
    unit: { ja: '℃', en: '°C' },
  },
  durationMinutes: { label: { ja: '続いた時間', en: 'For at least' }, unit: MINUTES },
  askFirst: {
    label: { ja: 'まずスピーカーでご本人に声をかける', en: 'Ask the resident on the speaker first' },
    help: { ja: '応答がなければお知らせします', en: 'Alerts only when nobody answers' },
  },
  answerWaitMinutes: { label: { ja: 'ご本人の応答を待つ時間', en: 'Wait for an answer' }, unit: MINUTES },
  hysteresisC: {
    label: { ja: '解除するまでに戻る温度', en: 'Clears after it comes back by' },
    unit: { ja: '℃', en: '°C' },
    help: {
      ja: '境目の前後で出たり消えたりしないための幅です',
      en: 'Keeps it from flickering around the threshold',
    },
  },
});

/**
 * Each rule type's name and what it watches, and each parameter's label, unit and help, in
 * Japanese and English (issue 19 item 6): GET /api/rule-types serves them with the parameters'
 * JSON Schema, so the staff console builds a form a person can read. Typed by the catalogue, so
 * a parameter without a label does not compile.
 */
export const RULE_TEXT: {
  [T in RuleType]: { name: Words; summary: Words; fields: Record<ParamName<T>, FieldText> };
} = {
  'checkin.missed': {
    name: { ja: '呼びかけに応答がない', en: 'No answer to a check-in' },
    summary: {
      ja: '予定の呼びかけに決めた回数続けて応答がないとき（回数はお住まいの方ごとに設定）',
      en: 'A scheduled check-in goes unanswered (how many in a row is set per resident)',
    },
    fields: {},
  },
  'checkin.concern': {
    name: { ja: '呼びかけへの気になる答え', en: 'A worrying check-in answer' },
    summary: {
      ja: '「助けて」「具合が悪い」などの答えや、気になる項目があったとき',
      en: 'The answer is “help” or “unwell”, or an item is not ok',
    },
    fields: {},
  },
  sos: {
    name: { ja: 'SOS', en: 'SOS' },
    summary: { ja: 'SOSボタンや音声で助けを求めたとき', en: 'The SOS button or a spoken call for help' },
    fields: {},
  },
  inactivity: {
    name: { ja: '生活の動きがない', en: 'No activity' },
    summary: {
      ja: '人感・ドア・電気の使用などの動きが決めた時間ないとき',
      en: 'No motion, door or appliance use for a while',
    },
    fields: {
      durationMinutes: {
        label: { ja: '動きがない時間', en: 'No activity for' },
        unit: MINUTES,
        help: {
          ja: '判定する時間帯を決めると、その時間帯だけで数えます（480分 = 8時間）',
          en: 'With active hours set, only those hours count (480 min = 8 h)',
        },
      },
    },
  },
  'silence.unusual': {
    name: { ja: 'いつもより長く動きがない', en: 'Silent far longer than usual' },
    summary: {
      ja: 'この時間帯にしては、これまでにないほど長く家の中で動きがないとき（ご本人の4週間の記録から）',
      en: 'The home is silent much longer than this resident ever is at this time of day (from their last four weeks)',
    },
    fields: {
      marginMinutes: {
        label: { ja: 'いつもの最長の静けさをこれだけ超えたら', en: 'Past the usual longest silence by' },
        unit: MINUTES,
      },
      marginPct: {
        label: { ja: 'または、その何％を超えたら（長い方）', en: 'Or by this share of it (whichever is longer)' },
        unit: { ja: '%', en: '%' },
      },
      floorMinutes: {
        label: { ja: 'これより短い静けさでは知らせない', en: 'Never for a silence shorter than' },
        unit: MINUTES,
      },
      ceilingMinutes: {
        label: { ja: 'これだけ動きがなければ必ず知らせる', en: 'Always after' },
        unit: MINUTES,
        help: {
          ja: '日中（7時〜21時）だけで数えます。学習中もこの時間で知らせます',
          en: 'Counted by day (07:00–21:00); also used while still learning',
        },
      },
      minDays,
    },
  },
  'out.long': {
    name: { ja: '外出から戻られない', en: 'Out longer than usual' },
    summary: {
      ja: '玄関から出たあと家の中で動きがなく、長い時間や夜遅くまで戻られないとき（外出中の可能性）',
      en: 'The front door was the last sign and nobody has moved inside since, for long or into the night',
    },
    fields: {
      dayMinutes: { label: { ja: '日中に出かけて戻らない時間', en: 'Out by day for' }, unit: MINUTES },
      nightMinutes: {
        label: { ja: '夜（21時以降）に入ってからの時間', en: 'Into the night (from 21:00) by' },
        unit: MINUTES,
      },
    },
  },
  'wake.late': {
    name: { ja: '朝の動きが遅い', en: 'Later than usual in the morning' },
    summary: {
      ja: '朝の動き出しが、そのお宅のいつもの時刻より大きく遅れたとき',
      en: 'The resident’s day begins much later than their usual time',
    },
    fields: {
      k: {
        label: { ja: 'いつものばらつきの何倍遅れたら', en: 'Spreads past the usual time' },
        unit: TIMES,
      },
      minDelayMinutes: {
        label: { ja: '少なくともこれだけ遅れたら', en: 'At least this late' },
        unit: MINUTES,
        help: {
          ja: '朝の始まりは、トイレに起きただけでなく、しばらく続く動きで判断します',
          en: 'The day begins with a run of activity, not a trip to the toilet',
        },
      },
      minDays,
    },
  },
  'activity.drop': {
    name: { ja: '生活の動きが少ない', en: 'Less activity than usual' },
    summary: {
      ja: '一日の動きの量が、そのお宅のいつもより大きく減ったとき',
      en: 'A day’s activity falls well below the home’s usual',
    },
    fields: {
      pct: {
        label: { ja: 'いつもの何％を下回ったら', en: 'Below this share of the usual' },
        unit: { ja: '%', en: '%' },
      },
      minDays,
    },
  },
  'night.activity': {
    name: { ja: '夜中の動きが多い', en: 'Unusual activity at night' },
    summary: {
      ja: '夜の間の動きが、そのお宅のいつもより大きく増えたとき',
      en: 'Activity at night rises well above the home’s usual',
    },
    fields: {
      fromHour: { label: { ja: '夜の始まり', en: 'Night starts at' }, unit: { ja: '時', en: 'h' } },
      toHour: { label: { ja: '夜の終わり', en: 'Night ends at' }, unit: { ja: '時', en: 'h' } },
      k: { label: { ja: 'いつものばらつきの何倍多ければ', en: 'Spreads above the usual' }, unit: TIMES },
      minTrips: {
        label: { ja: '少なくともこの回数起きたら', en: 'At least this many times up' },
        unit: { ja: '回', en: '' },
      },
      minDays,
    },
  },
  'environment.heat': {
    name: { ja: '室温が高い（熱中症の危険）', en: 'A hot room (heatstroke risk)' },
    summary: { ja: '室温が高い状態が続いたとき', en: 'The room stays hot' },
    fields: environment(true),
  },
  'environment.cold': {
    name: { ja: '室温が低い', en: 'A cold room' },
    summary: { ja: '室温が低い状態が続いたとき', en: 'The room stays cold' },
    fields: environment(false),
  },
  'usage.continuous': {
    name: { ja: '電気の使いっぱなし', en: 'An appliance left on' },
    summary: {
      ja: '大きな電気の使用が長い時間続いたとき（消し忘れなど）',
      en: 'A large load stays on for a long time',
    },
    fields: {
      minWatts: { label: { ja: '使用中とみなす電力', en: 'Counts as in use from' }, unit: { ja: 'W', en: 'W' } },
      durationMinutes: { label: { ja: '続いた時間', en: 'For at least' }, unit: MINUTES },
    },
  },
  'device.offline': {
    name: { ja: '機器の通信が途絶えた', en: 'A device has gone silent' },
    summary: {
      ja: '機器自身の状態や、そのセンサーのいつもの静けさから見て、通信が途絶えたとき',
      en: 'A device’s own liveness says it is gone (its status, a missed heartbeat, a silence far past its usual)',
    },
    fields: {
      speakerMinutes: {
        label: { ja: 'スピーカー・ゲートウェイ', en: 'Speakers and gateways' },
        unit: MINUTES,
      },
      checkInMinutes: {
        label: { ja: '定期的に通信する機器', en: 'Devices that check in' },
        unit: MINUTES,
      },
      sensorMinutes: {
        label: { ja: '動いたときだけ通信するセンサー（最短）', en: 'Sensors that report changes only (at least)' },
        unit: MINUTES,
        help: {
          ja: 'ご在宅中の時間だけで数え、そのセンサーのいつもの静けさが長ければそれに合わせます',
          en: 'Counted in time at home; longer when the sensor is usually silent longer',
        },
      },
      minDays,
    },
  },
  'device.battery': {
    name: { ja: '機器の電池が少ない', en: 'A device’s battery is low' },
    summary: { ja: '機器の電池の残りが少なくなったとき', en: 'A device reports a low battery' },
    fields: { pct: { label: { ja: '電池の残りがこれを下回ったら', en: 'Below' }, unit: { ja: '%', en: '%' } } },
  },
};

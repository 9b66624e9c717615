import type { CheckinItems, Language } from '@mimamori/contract';
import type { Answer } from '../speech/phrases.js';

/** What a resident's words to the main question mean, or `repeat` (「もう一度」). */
export type Intent = Answer | 'repeat';
/** An answer to one structured item (お薬は飲みましたか？): yes, no, or a wish to hear it again. */
export type ItemIntent = NonNullable<CheckinItems['health']> | 'repeat' | 'help';

/**
 * Lower case, full-width to ASCII, katakana to hiragana, no spaces or punctuation: recognisers
 * differ in how they write the same words (「ゲンキ」「元気」, "Fine." "fine").
 */
export function normaliseTranscript(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u30A1-\u30F6]/g, (k) => String.fromCharCode(k.charCodeAt(0) - 0x60))
    .replace(/[ー〜~]/g, '') // はーい is はい
    .replace(/[\s。、，．！？!?,.「」『』…・-]+/g, ' ')
    .trim();
}

type Rules<T extends string> = readonly [T, RegExp][];

/** Said to either kind of question: 「助けて」 beats everything; 「もう一度」 asks for it again. */
const HELP = { ja: /助け|たすけ|救急|きゅうきゅう/, en: /\b(help|ambulance|emergency)\b/ };
const REPEAT = {
  ja: /もう ?(一|いち)(度|ど)|もう ?(一|いっ)(回|かい)|もっかい|なんて|何て|聞こえ|きこえ|えっ/,
  en: /\b(again|repeat|pardon|what|sorry)\b/,
};

/**
 * The few answers that matter (issue 22): 元気です・はい・大丈夫 / 調子が悪い・具合が悪い /
 * 助けて・救急車 / もう一度. Checked in this order, so "help" beats everything and a negated
 * "fine" (元気じゃない, not fine) is "unwell". Not うん or ええ, nor a bare "no": said as うーん
 * and ええと they are hesitation, and "no" answers a different question than "how are you".
 * Anything else is not understood: the speaker asks again, and never guesses "fine".
 */
const ANSWERS: Record<Language, Rules<Intent>> = {
  ja: [
    ['help', HELP.ja],
    [
      'unwell',
      /(元気|げんき|大丈夫|だいじょうぶ)(じゃ|では|でわ)(ない|なか|あり)|(調子|ちょうし)が?(悪|わる|よくな)|(具合|ぐあい|気分|きぶん)が?(悪|わる)|しんどい|つらい|辛い|痛い|いたい|熱が|ねつが|だめ|駄目|いいえ/,
    ],
    ['repeat', REPEAT.ja],
    [
      'fine',
      /元気|げんき|大丈夫|だいじょうぶ|はい|平気|へいき|(変|か)わり(ない|ありません)|おかげさま|お陰様|いつも(通|どお)り|(悪|わる)くない/,
    ],
  ],
  en: [
    ['help', HELP.en],
    [
      'unwell',
      /\bnot (feeling )?(so |very |too )?(well|good|great|fine|ok|okay|all right|alright)\b|\b(unwell|sick|ill|poorly|awful|terrible|dizzy|pain|hurts?)\b/,
    ],
    ['repeat', REPEAT.en],
    ['fine', /\b(fine|ok|okay|good|well|great|yes|yeah|alright|all right)\b/],
  ],
};

/** Yes or no to 「お薬は飲みましたか？」; a negation anywhere (飲んでいません) makes it "no". */
const ITEMS: Record<Language, Rules<ItemIntent>> = {
  ja: [
    ['help', HELP.ja],
    ['not_ok', /いいえ|まだ|ない|ません|なかった|だめ|駄目/],
    ['repeat', REPEAT.ja],
    [
      'ok',
      /はい|飲み|飲ん|のみ|のん|食べ|たべ|眠れ|ねむれ|寝|ねた|とった|取った|とりました|済|すんだ|大丈夫|だいじょうぶ/,
    ],
  ],
  en: [
    ['help', HELP.en],
    ['not_ok', /\b(no|not|didn t|didnt|haven t|havent|nope|yet|badly)\b/],
    ['repeat', REPEAT.en],
    ['ok', /\b(yes|yeah|yep|did|have|done|ok|okay|well|fine)\b/],
  ],
};

function match<T extends string>(rules: Rules<T>, transcript: string): T | undefined {
  const text = normaliseTranscript(transcript).replace(/'/g, ' ');
  if (text.length === 0) return undefined;
  return rules.find(([, pattern]) => pattern.test(text))?.[0];
}

/** The answer a transcript gives to the check-in question; undefined when it gives none. */
export function understandAnswer(transcript: string, lang: Language): Intent | undefined {
  return match(ANSWERS[lang], transcript);
}

/** The answer a transcript gives to one item question; undefined when it gives none. */
export function understandItem(transcript: string, lang: Language): ItemIntent | undefined {
  return match(ITEMS[lang], transcript);
}

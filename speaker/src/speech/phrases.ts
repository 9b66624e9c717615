import type { CheckinItem, Language } from '@mimamori/contract';

/** The answers a resident can give to the check-in (the contract's `choices`, less `unknown`). */
export type Answer = 'fine' | 'unwell' | 'help';

/**
 * Everything the speaker says in its own words, in both languages. Japanese addresses the
 * resident politely (です・ます, お伝えしました) and names the buttons by colour, as the card
 * left in the home does (docs/speakers.md).
 */
export interface Phrases {
  /** Said once the hub has acknowledged the answer (PUBACK), never before. */
  passedOn(answer: Answer): string;
  /** The answer is kept on the speaker; the hub has not acknowledged it yet. */
  keptForLater: string;
  /** Said at once when the red button is pressed, before the hub has answered. */
  sosPressed: string;
  /** The SOS (or a "help" answer) reached the hub. */
  sosDelivered: string;
  /** The SOS has not reached the hub within a minute: say so, and who to call. */
  sosUndelivered(numberToCall: string): string;
  /** Before a prompt said a second time. */
  askingAgain: string;
  /** After a prompt said a second time: how to answer by button. */
  buttonHint: string;
  /** Speech that matched no answer: never guessed as "fine". */
  notUnderstood: string;
  /** One structured item at a time (体調 is the main question itself). */
  itemQuestion(item: Exclude<CheckinItem, 'health'>): string;
  itemButtonHint: string;
  connected: string;
  notConnected: string;
  waitingToSend(count: number): string;
}

const ja: Phrases = {
  passedOn: (answer) =>
    ({
      fine: '元気とお伝えしました。ありがとうございます。',
      unwell: '調子が悪いとお伝えしました。どうぞお大事になさってください。',
      help: '見守りの方にお知らせしました。',
    })[answer],
  keptForLater: 'いまは見守りにつながっていません。お返事はお預かりして、つながったらお伝えします。',
  sosPressed: 'お知らせしています。',
  sosDelivered: '見守りの方にお知らせしました。',
  sosUndelivered: (number) =>
    // 「119番に」; a longer number as written, which the synthesiser reads digit by digit (speech-text.ts).
    `まだ見守りの方にお知らせできていません。お急ぎのときは、${number.replace(/\D/g, '').length <= 4 ? `${number}番` : number}に電話してください。`,
  askingAgain: 'もう一度お聞きします。',
  buttonHint: 'お元気でしたら緑のボタンを、調子が悪いときは黄色のボタンを押してください。',
  notUnderstood: 'すみません、よく聞き取れませんでした。もう一度お答えください。',
  itemQuestion: (item) =>
    ({ medication: 'お薬は飲みましたか？', sleep: 'よく眠れましたか？', meal: 'お食事はとりましたか？' })[item],
  itemButtonHint: '「はい」なら緑、「いいえ」なら黄色のボタンでもお答えいただけます。',
  connected: '見守りにつながっています。',
  notConnected: '見守りにつながっていません。',
  waitingToSend: (count) => `まだお伝えしていないお返事が${count}件あります。`,
};

const en: Phrases = {
  passedOn: (answer) =>
    ({
      fine: 'I have passed on that you are fine. Thank you.',
      unwell: 'I have passed on that you are not feeling well. Please take care.',
      help: 'I have told the people who watch over you.',
    })[answer],
  keptForLater:
    'I cannot reach the watch-over service right now. I have kept your answer and will pass it on as soon as I can.',
  sosPressed: 'Calling for help.',
  sosDelivered: 'I have told the people who watch over you.',
  sosUndelivered: (number) =>
    `I have not been able to tell the people who watch over you yet. If it is urgent, please call ${[...number.replace(/\D/g, '')].join(' ')}.`,
  askingAgain: 'Let me ask again.',
  buttonHint: 'If you are fine, press the green button. If you are not feeling well, press the yellow button.',
  notUnderstood: 'Sorry, I did not catch that. Please answer again.',
  itemQuestion: (item) =>
    ({ medication: 'Have you taken your medicine?', sleep: 'Did you sleep well?', meal: 'Have you eaten?' })[item],
  itemButtonHint: 'You can also press green for yes or yellow for no.',
  connected: 'I am connected to the watch-over service.',
  notConnected: 'I am not connected to the watch-over service.',
  waitingToSend: (count) => `${count} ${count === 1 ? 'answer is' : 'answers are'} still waiting to be passed on.`,
};

export const PHRASES: Record<Language, Phrases> = { ja, en };

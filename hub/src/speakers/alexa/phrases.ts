import type { CheckinItem, Language } from '@mimamori/contract';

export type Answer = 'fine' | 'unwell' | 'help';
export type AskedItem = Exclude<CheckinItem, 'health'>;

/**
 * Everything the skill says in its own words (a prompt's and an announcement's words are the
 * hub's). Japanese addresses the resident politely (です・ます, お伝えしました), as the reference
 * speaker does, and says what to answer in the words the interaction model knows.
 */
export interface Phrases {
  askCode: string;
  codeRepeat: string;
  paired: string;
  codeUnknown: string;
  codeExpired: string;
  codeUsed: string;
  codeTriesExceeded: string;
  alreadyPaired: string;
  /** Opened with nothing to ask: what the resident may say. */
  welcome: string;
  answerHint: string;
  notUnderstood: string;
  /** After unclear answers in a row: the question waits for the next time. */
  later: string;
  /** Said once the hub has stored the answer, never before. */
  passedOn(answer: Answer): string;
  /** The hub could not store the answer; for help, the number to call. */
  notPassedOn(answer: Answer): string;
  itemQuestion(item: AskedItem): string;
  itemHint: string;
  /** AMAZON.HelpIntent: 「助けて」 may land there, so it asks before it explains. */
  helpQuestion: string;
  usage: string;
  goodbye: string;
  remindersWanted: string;
  /** What an Alexa reminder says when the hub asks: the prompt, and how to answer it. */
  reminderForPrompt(promptText: string): string;
}

const ja: Phrases = {
  askCode:
    'みまもりをお使いいただくには、はじめにペアリングが必要です。担当の方からお知らせした6桁の番号をおっしゃってください。',
  codeRepeat: '6桁のペアリング番号をおっしゃってください。',
  paired: 'ペアリングが完了しました。これから、見守りの確認をこのアレクサでお伺いします。',
  codeUnknown: 'その番号は見つかりませんでした。番号をもう一度おっしゃってください。',
  codeExpired: 'その番号は有効期限が切れています。担当の方に新しい番号をお尋ねください。',
  codeUsed: 'その番号はすでに使われています。担当の方に新しい番号をお尋ねください。',
  codeTriesExceeded: '番号の確認がうまくいきませんでした。しばらくしてから、もう一度お試しください。',
  alreadyPaired: 'このアレクサはすでにペアリングされています。',
  welcome:
    'みまもりです。お元気でしたら「元気です」、具合が悪いときは「具合が悪い」、助けが必要なときは「助けて」とおっしゃってください。',
  answerHint:
    'お元気でしたら「元気です」、具合が悪いときは「具合が悪い」、助けが必要なときは「助けて」とおっしゃってください。',
  notUnderstood: 'すみません、よく聞き取れませんでした。',
  later: 'うまくお伺いできませんでした。またあとでお声がけします。',
  passedOn: (answer) =>
    ({
      fine: '元気とお伝えしました。ありがとうございます。',
      unwell: '調子が悪いとお伝えしました。どうぞお大事になさってください。',
      help: '見守りの方にお知らせしました。',
    })[answer],
  notPassedOn: (answer) =>
    answer === 'help'
      ? 'まだ見守りの方にお知らせできていません。お急ぎのときは、119番に電話してください。'
      : '申し訳ありません。いまお返事をお伝えできませんでした。少したってから、もう一度お願いします。',
  itemQuestion: (item) =>
    ({ medication: 'お薬は飲みましたか？', sleep: 'よく眠れましたか？', meal: 'お食事はとりましたか？' })[item],
  itemHint: '「はい」か「いいえ」でお答えください。',
  helpQuestion:
    '見守りの方をお呼びしますか？お呼びするときは「はい」、使い方をお聞きになるときは「いいえ」とおっしゃってください。',
  usage:
    'みまもりでは、毎日の確認に声でお答えいただけます。「アレクサ、みまもりで元気と伝えて」とおっしゃると、お元気なことをお伝えします。具合が悪いときは「具合が悪い」、助けが必要なときは「助けて」とおっしゃってください。',
  goodbye: 'それでは、失礼します。',
  remindersWanted:
    '確認の時間にアレクサからお知らせできるよう、リマインダーの許可をお願いします。アレクサアプリにご案内をお送りしました。',
  reminderForPrompt: (text) => `${text}お答えは「アレクサ、みまもりを開いて」とお声がけください。`,
};

const en: Phrases = {
  askCode:
    'To use Mimamori, this device needs to be paired first. Please say the six-digit number your care staff gave you.',
  codeRepeat: 'Please say the six-digit pairing number.',
  paired: 'Pairing is complete. From now on, your check-ins will come to this Alexa device.',
  codeUnknown: 'I could not find that number. Please say it again.',
  codeExpired: 'That number has expired. Please ask your care staff for a new one.',
  codeUsed: 'That number has already been used. Please ask your care staff for a new one.',
  codeTriesExceeded: 'The number could not be checked. Please try again a little later.',
  alreadyPaired: 'This Alexa device is already paired.',
  welcome:
    'This is Mimamori. If you are fine, say "I am fine". If you are not feeling well, say "I feel unwell". If you need help, say "I need help".',
  answerHint:
    'If you are fine, say "I am fine". If you are not feeling well, say "I feel unwell". If you need help, say "I need help".',
  notUnderstood: 'Sorry, I did not catch that.',
  later: 'I could not get your answer. I will ask you again later.',
  passedOn: (answer) =>
    ({
      fine: 'I have passed on that you are fine. Thank you.',
      unwell: 'I have passed on that you are not feeling well. Please take care.',
      help: 'I have told the people who watch over you.',
    })[answer],
  notPassedOn: (answer) =>
    answer === 'help'
      ? 'I have not been able to tell the people who watch over you yet. If it is urgent, please call 1 1 9.'
      : 'Sorry, I could not pass on your answer just now. Please try again in a little while.',
  itemQuestion: (item) =>
    ({ medication: 'Have you taken your medicine?', sleep: 'Did you sleep well?', meal: 'Have you eaten?' })[item],
  itemHint: 'Please answer yes or no.',
  helpQuestion:
    'Do you need someone from your watch-over network to come? Say yes to call them, or no to hear how to use this skill.',
  usage:
    'Mimamori lets you answer your daily check-in by voice. Say "Alexa, tell Mimamori I am fine" to let them know you are fine. If you are not feeling well, say "I feel unwell". If you need help, say "I need help".',
  goodbye: 'Goodbye.',
  remindersWanted:
    'So that Alexa can remind you when it is time for your check-in, please allow reminders. I have sent a card to your Alexa app.',
  reminderForPrompt: (text) => `${text} To answer, say "Alexa, open Mimamori".`,
};

export const PHRASES: Record<Language, Phrases> = { ja, en };

/** The skill's language for a request's locale: Japanese for ja-*, English otherwise. */
export const languageOf = (locale: string | undefined): Language => (locale?.startsWith('ja') ? 'ja' : 'en');

/**
 * SSML for Alexa: escaped, and a little slower than Alexa's default, for older listeners (the
 * reference speaker slows down likewise; issue 22).
 */
export function ssml(...parts: string[]): string {
  const text = parts
    .join(' ')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
  return `<speak><prosody rate="90%">${text}</prosody></speak>`;
}

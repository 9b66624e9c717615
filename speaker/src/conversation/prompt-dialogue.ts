import type { CheckinItem, CheckinItems, Language } from '@mimamori/contract';
import type { PromptCommand } from '@mimamori/device-link';
import type { Clock } from '@mimamori/contract';
import type { Button, ButtonPress } from '../buttons/button-presses.js';
import { understandAnswer, understandItem, type Intent, type ItemIntent } from '../listen/grammar.js';
import type { Recogniser } from '../listen/recogniser.js';
import { PHRASES, type Answer } from '../speech/phrases.js';
import type { Mouth, SayOptions, Utterance } from '../speech/voice.js';
import { Inbox, type Waited } from './inbox.js';

/** What the resident did while a prompt was asked: a press, words heard, or nobody speaking. */
type Heard = { kind: 'press'; button: Button } | { kind: 'speech'; text: string } | { kind: 'silence' };

export type DialogueOutcome =
  { kind: 'answered'; answer: DialogueAnswer } | { kind: 'unanswered' } | { kind: 'stopped' };

/** What the resident answered: the fields of the `checkin` event the speaker sends. */
export interface DialogueAnswer {
  answer: Answer;
  via: 'button' | 'voice';
  text?: string;
  items?: CheckinItems;
}

export interface DialoguePorts {
  mouth: Mouth;
  /** Undefined without a speech model: buttons only. */
  recogniser: Recogniser | undefined;
  clock: Clock;
  /** How long an answer is awaited after the question ends. */
  answerWaitMs: number;
}

/** The question is said again once when no answer comes (issue 22); the hub's re-prompts come later. */
const ASKS_WITHOUT_ANSWER = 2;
/** 「もう一度」 repeats it, but not for ever. */
const MOST_SAYINGS = 5;
/** Speech twice not understood in a row counts as no answer; it is never guessed. */
const UNCLEAR_IN_A_ROW = 2;
/** A recogniser that hangs must not keep the question open for ever. */
const LISTEN_GRACE_MS = 15_000;

const MAIN_BUTTONS: Record<Button, Intent> = { green: 'fine', yellow: 'unwell', red: 'help', repeat: 'repeat' };
const ITEM_BUTTONS: Record<Button, ItemIntent> = { green: 'ok', yellow: 'not_ok', red: 'help', repeat: 'repeat' };

type Exchange<T> =
  { kind: 'answer'; value: T; via: 'button' | 'voice'; text?: string } | { kind: 'timeout' } | { kind: 'stopped' };

/**
 * One prompt asked of the resident: said (after a chime), then an answer awaited by button or
 * voice, the question said again once if none comes, 「もう一度」 honoured, unclear speech asked
 * again and never taken as "fine"; then, for a prompt with structured items (服薬・睡眠・食事),
 * each asked in turn. A button pressed while the question is still being said answers it and
 * silences it. `stop()` (a cancel, or shutting down) silences it at once.
 */
export class PromptDialogue {
  readonly #inbox: Inbox<Heard>;
  readonly #phrases;
  #utterance: Utterance | undefined;
  #listening: AbortController | undefined;

  constructor(
    readonly prompt: PromptCommand,
    private readonly ports: DialoguePorts,
  ) {
    this.#inbox = new Inbox(ports.clock);
    this.#phrases = PHRASES[prompt.lang];
  }

  /** A press while this prompt is being asked; false for what it does not take (green's long press). */
  press(press: ButtonPress): boolean {
    if (press.long) return false;
    this.#inbox.put({ kind: 'press', button: press.button });
    return true;
  }

  stop(): void {
    this.#inbox.stop();
    this.#utterance?.stop();
    this.#listening?.abort();
  }

  async run(): Promise<DialogueOutcome> {
    const { prompt } = this;
    let unanswered = 0;
    let again = false;
    for (let sayings = 1; sayings <= MOST_SAYINGS; sayings++) {
      const text = again ? `${this.#phrases.askingAgain}${prompt.text}${this.#phrases.buttonHint}` : prompt.text;
      const heard = await this.#exchange(
        text,
        { kind: 'prompt', chime: sayings === 1 },
        MAIN_BUTTONS,
        understandAnswer,
      );
      if (heard.kind === 'stopped') return { kind: 'stopped' };
      if (heard.kind === 'timeout') {
        if (++unanswered >= ASKS_WITHOUT_ANSWER) return { kind: 'unanswered' };
        again = true;
        continue;
      }
      if (heard.value === 'repeat') {
        again = false;
        continue;
      }
      const answer: Answer = heard.value;
      const spoken = heard.text === undefined ? {} : { text: heard.text };
      const items = answer === 'help' ? undefined : await this.#askItems(answer);
      if (items === 'stopped') return { kind: 'stopped' };
      if (items === 'help') return { kind: 'answered', answer: { answer: 'help', via: heard.via, ...spoken } };
      return { kind: 'answered', answer: { answer, via: heard.via, ...spoken, ...(items ? { items } : {}) } };
    }
    return { kind: 'unanswered' };
  }

  /** Asks each structured item in turn; 体調 follows the main answer. Unanswered items are left out. */
  async #askItems(answer: Answer): Promise<CheckinItems | undefined | 'stopped' | 'help'> {
    const asked = this.prompt.items;
    if (asked.length === 0) return undefined;
    const items: CheckinItems = {};
    if (asked.includes('health')) items.health = answer === 'fine' ? 'ok' : 'not_ok';
    let hinted = false;
    for (const item of asked.filter((i): i is Exclude<CheckinItem, 'health'> => i !== 'health')) {
      for (let sayings = 1; sayings <= 3; sayings++) {
        const question = this.#phrases.itemQuestion(item) + (hinted ? '' : this.#phrases.itemButtonHint);
        hinted = true;
        const heard = await this.#exchange(question, { kind: 'item' }, ITEM_BUTTONS, understandItem);
        if (heard.kind === 'stopped') return 'stopped';
        if (heard.kind === 'timeout') break;
        if (heard.value === 'help') return 'help';
        if (heard.value === 'repeat') continue;
        items[item] = heard.value;
        break;
      }
    }
    return Object.keys(items).length > 0 ? items : undefined;
  }

  /** Says something and awaits the answer it asks for: a press, or words the grammar understands. */
  async #exchange<T extends string>(
    text: string,
    options: SayOptions,
    buttons: Record<Button, T>,
    understand: (transcript: string, lang: Language) => T | undefined,
  ): Promise<Exchange<T>> {
    let heard = await this.#say(text, options);
    for (let unclear = 0; ;) {
      if (heard === 'said') heard = await this.#await();
      if (heard.kind !== 'item' || heard.item.kind === 'silence')
        return heard.kind === 'stopped' ? { kind: 'stopped' } : { kind: 'timeout' };
      const item = heard.item;
      if (item.kind === 'press') return { kind: 'answer', value: buttons[item.button], via: 'button' };
      const value = understand(item.text, this.prompt.lang);
      if (value !== undefined) return { kind: 'answer', value, via: 'voice', text: item.text };
      if (++unclear >= UNCLEAR_IN_A_ROW) return { kind: 'timeout' };
      heard = await this.#say(this.#phrases.notUnderstood, { kind: 'not-understood' });
    }
  }

  /** Says `text`; a press meanwhile stops it and is returned, otherwise 'said' once it ends. */
  async #say(text: string, options: SayOptions): Promise<Waited<Heard> | 'said'> {
    const utterance = this.ports.mouth.say(text, this.prompt.lang, options);
    this.#utterance = utterance;
    const during = await this.#inbox.next(Number.POSITIVE_INFINITY, utterance.done);
    if (during.kind === 'timeout') return 'said';
    utterance.stop();
    return during;
  }

  /** Awaits an answer after the question: presses, and words while a recogniser listens. */
  async #await(): Promise<Waited<Heard>> {
    const { recogniser, answerWaitMs } = this.ports;
    if (!recogniser) return this.#inbox.next(answerWaitMs);
    const listening = new AbortController();
    this.#listening = listening;
    void recogniser.listen({ maxMs: answerWaitMs, signal: listening.signal }).then((text) => {
      if (!listening.signal.aborted)
        this.#inbox.put(text === undefined ? { kind: 'silence' } : { kind: 'speech', text });
    });
    const result = await this.#inbox.next(answerWaitMs + LISTEN_GRACE_MS);
    listening.abort();
    return result;
  }
}

import type { DeviceCommand, Language } from '@mimamori/contract';
import type { Log, PromptCommand } from '@mimamori/device-link';
import type { Clock } from '@mimamori/contract';
import type { ButtonPress } from '../buttons/button-presses.js';
import type { Recogniser } from '../listen/recogniser.js';
import { PHRASES } from '../speech/phrases.js';
import type { Mouth } from '../speech/voice.js';
import type { Deliveries } from './deliveries.js';
import { PromptDialogue } from './prompt-dialogue.js';
import { PromptQueue } from './prompt-queue.js';
import type { QuietHours } from './quiet-hours.js';

export interface SpeakerSettings {
  /** The home's language, for what the speaker says outside a prompt. */
  language: Language;
  quietHours: QuietHours | undefined;
  timeZone: string;
  answerWaitMs: number;
  heartbeatMs: number;
}

export interface SpeakerAppDeps {
  link: { readonly connected: boolean; publish(body: { type: 'heartbeat' }): void };
  outbox: { readonly pending: number; setOnline(online: boolean): void };
  deliveries: Pick<Deliveries, 'answer' | 'sos'>;
  mouth: Mouth;
  recogniser: Recogniser | undefined;
  clock: Clock;
  log: Log;
  settings: SpeakerSettings;
}

/**
 * The speaker's behaviour: the hub's commands (prompts asked one at a time, cancels, announces),
 * the buttons (answers during a prompt; outside one, green a voluntary 「元気」, yellow 「調子が
 * 悪い」, red an SOS at any time, a long green press the connection status, repeat the last
 * unanswered question), and heartbeats. Construction does nothing; `start()` and `stop()` do.
 */
export class SpeakerApp {
  readonly #queue: PromptQueue;
  #dialogue: PromptDialogue | undefined;
  /** The last prompt that went unanswered, for the repeat button or 「もう一度」 afterwards. */
  #lastUnanswered: PromptCommand | undefined;
  #stopHeartbeat: (() => void) | undefined;
  #stopped = true;

  constructor(private readonly deps: SpeakerAppDeps) {
    const { clock, log, settings } = deps;
    this.#queue = new PromptQueue({
      clock,
      log,
      quietHours: settings.quietHours,
      timeZone: settings.timeZone,
      onReady: () => this.#askNext(),
    });
  }

  start(): void {
    this.#stopped = false;
    this.#heartbeat();
  }

  stop(): void {
    this.#stopped = true;
    this.#stopHeartbeat?.();
    this.#queue.stop();
    this.#dialogue?.stop();
  }

  onConnection(connected: boolean): void {
    this.deps.outbox.setOnline(connected);
  }

  onCommand(command: DeviceCommand): void {
    const { log, mouth } = this.deps;
    switch (command.type) {
      case 'prompt':
        this.#queue.offer(command, this.#dialogue?.prompt.promptId);
        return;
      case 'cancel':
        if (this.#dialogue?.prompt.promptId === command.promptId) {
          log.info(`prompt ${command.promptId} cancelled while being asked; stopped`);
          this.#dialogue.stop();
        } else if (this.#queue.cancel(command.promptId))
          log.info(`prompt ${command.promptId} cancelled before it was asked`);
        if (this.#lastUnanswered?.promptId === command.promptId) this.#lastUnanswered = undefined;
        return;
      case 'announce':
        // Who is coming: said whatever the hour, after what is being said now.
        mouth.say(command.text, command.lang, { kind: 'announce', chime: true });
        return;
    }
  }

  onPress(press: ButtonPress): void {
    const { deliveries, settings } = this.deps;
    if (this.#dialogue?.press(press)) return;
    const lang = this.#dialogue?.prompt.lang ?? settings.language;
    if (press.long) return this.#sayStatus(lang);
    switch (press.button) {
      case 'red':
        return deliveries.sos(lang);
      case 'green':
        return void deliveries.answer({ answer: 'fine', via: 'button' }, lang);
      case 'yellow':
        return void deliveries.answer({ answer: 'unwell', via: 'button' }, lang);
      case 'repeat': {
        const last = this.#lastUnanswered;
        this.#lastUnanswered = undefined;
        if (last) this.#queue.offer(last, undefined);
        return;
      }
    }
  }

  #askNext(): void {
    if (this.#dialogue || this.#stopped) return;
    const prompt = this.#queue.take();
    if (!prompt) return;
    const { mouth, recogniser, clock, settings, deliveries, log } = this.deps;
    const dialogue = new PromptDialogue(prompt, { mouth, recogniser, clock, answerWaitMs: settings.answerWaitMs });
    this.#dialogue = dialogue;
    this.#lastUnanswered = undefined;
    log.info(`asking prompt ${prompt.promptId}`);
    void dialogue
      .run()
      .then((outcome) => {
        if (outcome.kind === 'answered') {
          this.#queue.markAnswered(prompt);
          // The next question waits until the resident has heard what became of this answer.
          const answer = { ...outcome.answer, promptId: prompt.promptId, residentId: prompt.residentId };
          return deliveries.answer(answer, prompt.lang);
        }
        if (outcome.kind === 'unanswered') {
          log.info(`prompt ${prompt.promptId} not answered; the hub asks again when its schedule says`);
          this.#lastUnanswered = prompt;
        }
        return undefined;
      })
      .catch((error: unknown) => log.error(`prompt ${prompt.promptId} failed: ${(error as Error).message}`))
      .finally(() => {
        this.#dialogue = undefined;
        this.#askNext();
      });
  }

  #sayStatus(lang: Language): void {
    const { link, outbox, mouth } = this.deps;
    const phrases = PHRASES[lang];
    const waiting = outbox.pending > 0 ? phrases.waitingToSend(outbox.pending) : '';
    mouth.say(`${link.connected ? phrases.connected : phrases.notConnected}${waiting}`, lang, { kind: 'status' });
  }

  #heartbeat(): void {
    const { clock, link, settings } = this.deps;
    // Liveness for the hub's device.offline rule (a speaker: 30 min); the MQTT will covers a lost connection.
    this.#stopHeartbeat = clock.setTimer(() => {
      if (this.#stopped) return;
      if (link.connected) link.publish({ type: 'heartbeat' });
      this.#heartbeat();
    }, settings.heartbeatMs);
  }
}

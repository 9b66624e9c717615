import { isPromptExpired, promptExpiresAt, type Log, type PromptCommand } from '@mimamori/device-link';
import { type Clock } from '@mimamori/contract';
import { speakableAt, type QuietHours } from './quiet-hours.js';

export interface PromptQueueDeps {
  clock: Clock;
  log: Log;
  quietHours: QuietHours | undefined;
  timeZone: string;
  /** A prompt may be asked now (called once per prompt that became ready). */
  onReady: () => void;
}

/**
 * The prompts waiting to be asked, in the order they came: held through the quiet hours
 * unless urgent, dropped when they expire or are cancelled, not asked twice once answered.
 * A re-prompt (same `promptId`) replaces a waiting one's wording and keeps its place.
 */
export class PromptQueue {
  readonly #waiting: PromptCommand[] = [];
  readonly #held = new Map<string, { prompt: PromptCommand; release: () => void }>();
  /** Prompts answered on this speaker, until they expire: a re-prompt that crossed the answer is not asked. */
  readonly #answered = new Map<string, number>();

  constructor(private readonly deps: PromptQueueDeps) {}

  /** Takes a prompt the hub sent; false when it is not to be asked (expired, already answered). */
  offer(prompt: PromptCommand, askingNow: string | undefined): boolean {
    const { clock, log, quietHours, timeZone } = this.deps;
    const now = clock.now();
    this.#forgetExpired(now);
    if (isPromptExpired(prompt, now)) {
      log.info(`prompt ${prompt.promptId} arrived expired; not said`);
      return false;
    }
    if (this.#answered.has(prompt.promptId) || askingNow === prompt.promptId) return false;
    const held = this.#held.get(prompt.promptId);
    if (held) {
      held.prompt = prompt;
      return true;
    }
    const waiting = this.#waiting.findIndex((p) => p.promptId === prompt.promptId);
    if (waiting >= 0) {
      this.#waiting[waiting] = prompt;
      return true;
    }
    const at = prompt.urgent ? now : speakableAt(now, quietHours, timeZone);
    if (at > now) {
      log.info(`prompt ${prompt.promptId} arrived in the quiet hours; held until ${new Date(at).toISOString()}`);
      const entry = { prompt, release: () => {} };
      entry.release = clock.setTimer(() => {
        this.#held.delete(prompt.promptId);
        this.#waiting.push(entry.prompt);
        this.deps.onReady();
      }, at - now);
      this.#held.set(prompt.promptId, entry);
      return true;
    }
    this.#waiting.push(prompt);
    this.deps.onReady();
    return true;
  }

  /** The next prompt to ask, skipping those that expired while they waited. */
  take(): PromptCommand | undefined {
    const now = this.deps.clock.now();
    for (let prompt = this.#waiting.shift(); prompt; prompt = this.#waiting.shift()) {
      if (!isPromptExpired(prompt, now)) return prompt;
      this.deps.log.info(`prompt ${prompt.promptId} expired before it could be said`);
    }
    return undefined;
  }

  /** Withdraws a waiting or held prompt (a `cancel`); true when there was one. */
  cancel(promptId: string): boolean {
    const held = this.#held.get(promptId);
    held?.release();
    this.#held.delete(promptId);
    const index = this.#waiting.findIndex((p) => p.promptId === promptId);
    if (index >= 0) this.#waiting.splice(index, 1);
    return held !== undefined || index >= 0;
  }

  markAnswered(prompt: PromptCommand): void {
    this.#answered.set(prompt.promptId, promptExpiresAt(prompt));
  }

  stop(): void {
    for (const { release } of this.#held.values()) release();
    this.#held.clear();
    this.#waiting.length = 0;
  }

  #forgetExpired(now: number): void {
    for (const [promptId, expiresAt] of this.#answered) if (expiresAt <= now) this.#answered.delete(promptId);
  }
}

import { randomBytes } from 'node:crypto';
import type { DeviceCommand } from '@mimamori/contract';
import type { Logger } from 'pino';
import type { AskResident } from '../engine/index.js';
import type { Metrics } from '../metrics/index.js';
import type { DeviceRepository, HomeRepository } from '../store/index.js';

type PromptCommand = Extract<DeviceCommand, { type: 'prompt' }>;

export interface SpeakersDeps {
  devices: Pick<DeviceRepository, 'list'>;
  homes: Pick<HomeRepository, 'getResident'>;
  sendCommand: (homeId: string, deviceId: string, command: DeviceCommand) => Promise<void>;
  metrics: Metrics;
  logger: Logger;
}

const commandId = () => `cmd_${randomBytes(6).toString('hex')}`;
/**
 * Commands handed to the broker at once; the rest wait their turn in order. At 9:00 every
 * resident's prompt falls due in the same turn of the event loop, and 5,000 publishes queued
 * at once overflowed the stack in aedes' emitter (mqemitter's queue releases recursively;
 * issue 7's scale benchmark), so they go out as earlier ones are accepted.
 */
const IN_FLIGHT = 64;

/**
 * Speaks to residents through every speaker of their home: check-in prompts and their
 * withdrawal, and the questions rules ask before alerting anyone ("エアコンをつけましょう").
 * Sending is fire-and-forget: a failure is logged and counted, and the caller's deadlines
 * carry on (an unanswered question is what the rules wait for anyway).
 */
export class Speakers {
  #inFlight = 0;
  #waiting: (() => void)[] = [];
  #next = 0;
  #flushScheduled = false;

  constructor(private readonly deps: SpeakersDeps) {}

  /** Commands not yet handed to the broker. */
  get queued(): number {
    return this.#waiting.length - this.#next;
  }

  /** Sends a prompt; false when the home has no speaker to say it. */
  prompt(homeId: string, prompt: Omit<PromptCommand, 'type' | 'id'>): boolean {
    const speakers = this.#speakers(homeId);
    if (speakers.length === 0) {
      this.deps.metrics.prompts.inc({ result: 'no_speaker' });
      return false;
    }
    for (const id of speakers) this.#send(homeId, id, { type: 'prompt', id: commandId(), ...prompt });
    return true;
  }

  cancel(homeId: string, promptId: string): void {
    for (const id of this.#speakers(homeId)) this.#send(homeId, id, { type: 'cancel', id: commandId(), promptId });
  }

  /** A rule's question, in the resident's language, answerable like a check-in. */
  ask(decision: AskResident): void {
    const resident = decision.residentId === undefined ? undefined : this.deps.homes.getResident(decision.residentId);
    if (!resident) {
      this.deps.logger.warn(
        { homeId: decision.homeId, rule: decision.rule },
        'no resident to ask; the rule alerts when its wait is over',
      );
      return;
    }
    this.prompt(decision.homeId, {
      promptId: decision.promptId,
      residentId: resident.id,
      text: decision.text[resident.language],
      lang: resident.language,
      choices: ['fine', 'unwell', 'help'],
      items: [],
      expiresAt: new Date(decision.expiresAt).toISOString(),
    });
  }

  /**
   * Says who is coming ("民生委員の○○さんが向かっています") on every speaker of the home; the
   * outbox awaits it, so a failure is retried like any delivery. Resolves to the number of speakers.
   */
  async announce(homeId: string, text: string, lang: PromptCommand['lang']): Promise<number> {
    const speakers = this.#speakers(homeId);
    await Promise.all(
      speakers.map((id) => this.deps.sendCommand(homeId, id, { type: 'announce', id: commandId(), text, lang })),
    );
    return speakers.length;
  }

  #speakers(homeId: string): string[] {
    return this.deps.devices
      .list(homeId)
      .filter((d) => d.kind === 'speaker')
      .map((d) => d.id);
  }

  #send(homeId: string, deviceId: string, command: DeviceCommand): void {
    const send = () => {
      this.#inFlight++;
      this.deps
        .sendCommand(homeId, deviceId, command)
        .then(
          () => this.deps.metrics.prompts.inc({ result: command.type === 'prompt' ? 'sent' : 'cancelled' }),
          (error: unknown) => {
            this.deps.metrics.prompts.inc({ result: 'failed' });
            this.deps.logger.error(
              { err: (error as Error).message, homeId, deviceId, type: command.type },
              'could not send a command to a speaker',
            );
          },
        )
        .finally(() => {
          this.#inFlight--;
          this.#sendWaiting();
        });
    };
    // Handed over on the next turn, never inside the caller's transaction: a prompt goes out
    // only once the check-in it asks about is committed.
    this.#waiting.push(send);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => {
        this.#flushScheduled = false;
        this.#sendWaiting();
      });
    }
  }

  #sendWaiting(): void {
    while (this.#inFlight < IN_FLIGHT && this.#next < this.#waiting.length) {
      const send = this.#waiting[this.#next] as () => void;
      this.#waiting[this.#next++] = noop;
      send();
    }
    if (this.#next === this.#waiting.length) {
      this.#waiting = [];
      this.#next = 0;
    }
  }
}

const noop = () => undefined;

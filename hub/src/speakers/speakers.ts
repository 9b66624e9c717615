import { randomBytes } from 'node:crypto';
import type { DeviceCommand, Language } from '@mimamori/contract';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/index.js';
import type { Prompt, Question, SpeakerOutlet } from '../ports/index.js';
import type { HomeRepository } from '../store/index.js';
import type { SpeakerPlatform } from './platform.js';

export interface SpeakersDeps {
  platforms: readonly SpeakerPlatform[];
  homes: Pick<HomeRepository, 'getResident'>;
  metrics: Metrics;
  logger: Logger;
}

const commandId = () => `cmd_${randomBytes(6).toString('hex')}`;
/**
 * Commands handed to platforms at once; the rest wait their turn in order. At 9:00 every
 * resident's prompt falls due in the same turn of the event loop, and 5,000 publishes queued
 * at once overflowed the stack in aedes' emitter (mqemitter's queue releases recursively;
 * issue 7's scale benchmark), so they go out as earlier ones are accepted.
 */
const IN_FLIGHT = 64;

/**
 * Speaks to residents through every speaker of their home, on whatever platform it is:
 * check-in prompts and their withdrawal, and the questions rules ask before alerting anyone
 * ("エアコンをつけましょう"). Sending is fire-and-forget: a failure is logged and counted, and the
 * caller's deadlines carry on (an unanswered question is what the rules wait for anyway).
 */
export class Speakers implements SpeakerOutlet {
  #inFlight = 0;
  #waiting: (() => void)[] = [];
  #next = 0;
  #flushScheduled = false;

  constructor(private readonly deps: SpeakersDeps) {}

  /** Commands not yet handed to a platform. */
  get queued(): number {
    return this.#waiting.length - this.#next;
  }

  prompt(homeId: string, prompt: Prompt): boolean {
    const speakers = this.#speakers(homeId);
    if (speakers.length === 0) {
      this.deps.metrics.prompts.inc({ result: 'no_speaker' });
      return false;
    }
    for (const [platform, id] of speakers)
      this.#send(platform, homeId, id, { type: 'prompt', id: commandId(), ...prompt });
    return true;
  }

  cancel(homeId: string, promptId: string): void {
    for (const [platform, id] of this.#speakers(homeId)) {
      this.#send(platform, homeId, id, { type: 'cancel', id: commandId(), promptId });
    }
  }

  /** A rule's question, in the resident's language, answerable like a check-in. */
  ask(question: Question): void {
    const resident = question.residentId === undefined ? undefined : this.deps.homes.getResident(question.residentId);
    if (!resident) {
      this.deps.logger.warn(
        { homeId: question.homeId, rule: question.rule },
        'no resident to ask; the rule alerts when its wait is over',
      );
      return;
    }
    this.prompt(question.homeId, {
      promptId: question.promptId,
      residentId: resident.id,
      text: question.text[resident.language],
      lang: resident.language,
      choices: ['fine', 'unwell', 'help'],
      items: [],
      expiresAt: new Date(question.expiresAt).toISOString(),
      // A heat or cold question is about the room now; a speaker must not hold it to the morning.
      urgent: true,
    });
  }

  /**
   * Says who is coming ("民生委員の○○さんが向かっています") on every speaker of the home; the
   * outbox awaits it, so a failure is retried like any delivery. Resolves to the number of speakers.
   */
  async announce(homeId: string, text: string, lang: Language): Promise<number> {
    const speakers = this.#speakers(homeId);
    await Promise.all(
      speakers.map(([platform, id]) => platform.send(homeId, id, { type: 'announce', id: commandId(), text, lang })),
    );
    return speakers.length;
  }

  #speakers(homeId: string): [SpeakerPlatform, string][] {
    return this.deps.platforms.flatMap((platform) =>
      platform.speakersOf(homeId).map((id): [SpeakerPlatform, string] => [platform, id]),
    );
  }

  #send(platform: SpeakerPlatform, homeId: string, deviceId: string, command: DeviceCommand): void {
    const send = () => {
      this.#inFlight++;
      platform
        .send(homeId, deviceId, command)
        .then(
          () => this.deps.metrics.prompts.inc({ result: command.type === 'prompt' ? 'sent' : 'cancelled' }),
          (error: unknown) => {
            this.deps.metrics.prompts.inc({ result: 'failed' });
            this.deps.logger.error(
              { err: (error as Error).message, homeId, deviceId, platform: platform.name, type: command.type },
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

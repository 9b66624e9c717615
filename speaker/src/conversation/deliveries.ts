import type { CheckinItems, DeviceEventBody, DeviceEventInput, Language } from '@mimamori/contract';
import type { Log } from '@mimamori/device-link';
import type { Clock } from '@mimamori/contract';
import { PHRASES, type Answer } from '../speech/phrases.js';
import type { Mouth } from '../speech/voice.js';
import type { Outbox } from './outbox.js';

export interface DeliveriesDeps {
  outbox: Pick<Outbox, 'add'>;
  mouth: Mouth;
  /** Gives an event its id and time (DeviceLink.stamp): kept with it through any outage. */
  stamp: (body: DeviceEventBody) => DeviceEventInput;
  clock: Clock;
  log: Log;
  /** The number to call when an SOS cannot be delivered (119, or one the home chose). */
  emergencyNumber: string;
  /** Without an acknowledgement by then, the resident hears that the answer is kept. */
  keptNoticeMs: number;
  /** Without an acknowledgement by then, an SOS says so plainly and gives the number to call (issue 22: a minute). */
  sosUndeliveredMs: number;
}

export interface CheckinAnswer {
  answer: Answer;
  via: 'button' | 'voice';
  promptId?: string;
  residentId?: string;
  text?: string;
  items?: CheckinItems;
}

/** A second press this soon after an SOS repeats what was said instead of raising another. */
const SOS_REPRESS_MS = 2 * 60_000;

/**
 * Passes answers and SOS presses to the hub through the durable outbox, and tells the
 * resident what happened to them: a confirmation only once the hub has acknowledged (PUBACK),
 * that it is kept when it has not yet, and for an emergency that was not delivered within a
 * minute, the number to call.
 */
export class Deliveries {
  #sos: { at: number; delivered: boolean; lang: Language } | undefined;

  constructor(private readonly deps: DeliveriesDeps) {}

  /**
   * Passes an answer on. Resolves once the resident has been told what became of it (passed
   * on, or kept), so that the next question does not come before the confirmation of the last.
   */
  answer(checkin: CheckinAnswer, lang: Language): Promise<void> {
    const { outbox, stamp, mouth, clock, keptNoticeMs, log } = this.deps;
    const { delivered } = outbox.add(stamp({ type: 'checkin', ...checkin }));
    log.info(
      `answer ${checkin.promptId ? `to prompt ${checkin.promptId}` : '(voluntary)'} by ${checkin.via} kept; sending`,
    );
    if (checkin.answer === 'help') return this.#urgent(delivered, lang);
    const phrases = PHRASES[lang];
    let told: () => void = () => undefined;
    const toldPromise = new Promise<void>((resolve) => (told = resolve));
    let heard = false;
    const cancel = clock.setTimer(() => {
      heard = true;
      mouth.say(phrases.keptForLater, lang, { kind: 'kept' });
      told();
    }, keptNoticeMs);
    void delivered.then(() => {
      cancel();
      log.info(`answer ${checkin.promptId ?? '(voluntary)'} acknowledged by the hub`);
      // Told hours later, a confirmation would only puzzle; the resident already heard it was kept.
      if (!heard) mouth.say(phrases.passedOn(checkin.answer), lang, { kind: 'confirmation' });
      told();
    });
    return toldPromise;
  }

  /** The red button outside a prompt: an SOS, at any time. */
  sos(lang: Language): void {
    const { outbox, stamp, mouth, clock, log } = this.deps;
    const phrases = PHRASES[lang];
    const recent = this.#sos;
    if (recent && (!recent.delivered || clock.now() - recent.at < SOS_REPRESS_MS)) {
      mouth.say(recent.delivered ? phrases.sosDelivered : phrases.sosPressed, lang, { kind: 'sos' });
      return;
    }
    const sos = { at: clock.now(), delivered: false, lang };
    this.#sos = sos;
    // Whatever was being said (an announcement, a confirmation) gives way to the emergency.
    mouth.say(phrases.sosPressed, lang, { kind: 'sos', interrupt: true });
    const { delivered } = outbox.add(stamp({ type: 'sos', via: 'button' }));
    log.info('SOS pressed; kept and sending');
    void this.#urgent(
      delivered.then(() => {
        sos.delivered = true;
      }),
      lang,
    );
  }

  /** Confirms an emergency once delivered, or gives the number to call; resolves at the first of these. */
  #urgent(delivered: Promise<void>, lang: Language): Promise<void> {
    const { mouth, clock, emergencyNumber, sosUndeliveredMs, log } = this.deps;
    const phrases = PHRASES[lang];
    return new Promise((told) => {
      const cancel = clock.setTimer(() => {
        log.error(
          `an emergency has not reached the hub within ${Math.round(sosUndeliveredMs / 1000)} s; told the resident to call ${emergencyNumber}`,
        );
        mouth.say(phrases.sosUndelivered(emergencyNumber), lang, { kind: 'sos-undelivered' });
        told();
      }, sosUndeliveredMs);
      void delivered.then(() => {
        cancel();
        log.info('emergency acknowledged by the hub');
        mouth.say(phrases.sosDelivered, lang, { kind: 'sos-delivered' });
        told();
      });
    });
  }
}

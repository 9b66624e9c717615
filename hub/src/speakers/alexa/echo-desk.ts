import type { CheckinItems, Clock, DeviceEventInput } from '@mimamori/contract';
import type { Logger } from 'pino';
import type { Ingest } from '../../ingest/index.js';
import type { AlexaEchoRepository, DeviceRepository, PairedEcho } from '../../store/index.js';
import type { EchoIdentity } from './pairing.js';
import type { Answer } from './phrases.js';

export interface EchoDeskDeps {
  echos: AlexaEchoRepository;
  devices: Pick<DeviceRepository, 'principal' | 'get' | 'setOnline'>;
  ingest: Pick<Ingest, 'acceptEvent' | 'acceptStatus'>;
  clock: Clock;
  logger: Logger;
}

/**
 * The hub's side of a paired Echo during a conversation: what waits for it, its answers into
 * ingest (the same validation, journal and durability as an MQTT speaker's), and what each
 * request says about it (its account, its permission, that it is alive).
 */
export class EchoDesk {
  constructor(private readonly deps: EchoDeskDeps) {}

  /** Prompts waiting for the Echo, oldest first. */
  prompts(echo: PairedEcho) {
    return this.deps.echos.pendingOf(echo.deviceId, this.deps.clock.now()).filter((p) => p.command.type === 'prompt');
  }

  /** Announcements waiting for the Echo, said now and then forgotten. */
  takeAnnouncements(echo: PairedEcho): string[] {
    const { echos, clock } = this.deps;
    const announcements = echos.pendingOf(echo.deviceId, clock.now()).filter((p) => p.command.type === 'announce');
    for (const a of announcements) echos.removePending(echo.deviceId, a.key);
    return announcements.map((a) => a.command.text);
  }

  /** Stores an answer (an `sos` for help with no prompt); true once it is durable, when the prompt stops waiting. */
  async pass(
    echo: PairedEcho,
    key: string | undefined,
    answer: Answer,
    items: CheckinItems | undefined,
    eventId: string,
  ): Promise<boolean> {
    const { echos, devices, ingest, clock, logger } = this.deps;
    const pending = key === undefined ? undefined : echos.pending(echo.deviceId, key, clock.now())?.command;
    const residentId = pending?.type === 'prompt' ? { residentId: pending.residentId } : {};
    const common = { id: eventId, ts: clock.now(), ...residentId };
    const event: DeviceEventInput =
      answer === 'help' && key === undefined
        ? { ...common, type: 'sos', via: 'voice' }
        : {
            ...common,
            type: 'checkin',
            answer,
            via: 'voice',
            ...(key !== undefined && { promptId: key }),
            ...(items && { items }),
          };
    const principal = devices.principal(echo.deviceId);
    try {
      const outcome = principal ? await ingest.acceptEvent(principal, event) : 'rejected';
      if (outcome !== 'stored' && outcome !== 'duplicate') throw new Error(`the hub ${outcome} it`);
    } catch (error) {
      logger.error(
        { err: (error as Error).message, deviceId: echo.deviceId, type: event.type },
        'an answer through Alexa could not be stored',
      );
      return false;
    }
    if (key !== undefined) echos.removePending(echo.deviceId, key);
    return true;
  }

  /** Every request says where the Echo's account is and what it allowed; one from a disabled Echo brings it back. */
  seen(echo: PairedEcho, identity: EchoIdentity): PairedEcho {
    const { alexaUserId, apiEndpoint, locale, remindersGranted: granted } = identity;
    if (
      echo.alexaUserId !== alexaUserId ||
      echo.apiEndpoint !== apiEndpoint ||
      echo.locale !== locale ||
      echo.remindersGranted !== granted
    )
      this.deps.echos.updateContact(echo.deviceId, { alexaUserId, apiEndpoint, locale, remindersGranted: granted });
    this.online(echo);
    return { ...echo, alexaUserId, apiEndpoint, locale, remindersGranted: granted };
  }

  /**
   * The Echo was just used: staff see when (its last-seen time), and one that was offline (the
   * skill disabled, then enabled again) is back, which the rules hear.
   */
  online(echo: PairedEcho): void {
    const { devices, ingest, clock } = this.deps;
    const principal = devices.principal(echo.deviceId);
    if (!principal) return;
    if (devices.get(echo.deviceId)?.online) devices.setOnline(echo.deviceId, true, clock.now());
    else ingest.acceptStatus(principal, { online: true, ts: clock.now() });
  }
}

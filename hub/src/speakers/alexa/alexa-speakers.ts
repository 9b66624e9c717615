import type { Clock, DeviceCommand } from '@mimamori/contract';
import type { AlexaEchoRepository } from '../../store/index.js';
import type { SpeakerPlatform } from '../platform.js';
import type { AlexaReminders } from './reminders.js';

/**
 * How long an announcement ("民生委員の田中さんが向かっています") waits for the resident to open
 * the skill: after that, who was coming has come or the alert has moved on, and saying it would mislead.
 */
const ANNOUNCEMENT_WAIT_MS = 3 * 3_600_000;

/**
 * Echos paired to homes through the Alexa skill (docs/speakers.md, Alexa). An Echo cannot start speaking
 * unprompted, so a command is kept until the resident next opens the skill — a prompt until it
 * expires, is answered or withdrawn, an announcement for a few hours — and, where the resident
 * allowed reminders, an Alexa reminder rings so they know to open it.
 */
export class AlexaSpeakers implements SpeakerPlatform {
  readonly name = 'alexa';

  constructor(
    private readonly deps: {
      echos: Pick<AlexaEchoRepository, 'ofHome' | 'get' | 'putPending' | 'removePending'>;
      reminders: Pick<AlexaReminders, 'remind'>;
      clock: Clock;
    },
  ) {}

  speakersOf(homeId: string): string[] {
    return this.deps.echos.ofHome(homeId).map((echo) => echo.deviceId);
  }

  async send(_homeId: string, speakerId: string, command: DeviceCommand): Promise<void> {
    const { echos, reminders, clock } = this.deps;
    const echo = echos.get(speakerId);
    if (!echo) throw new Error(`the Echo ${speakerId} is no longer paired`);
    const now = clock.now();
    if (command.type === 'cancel') {
      echos.removePending(speakerId, command.promptId);
      return;
    }
    const key = command.type === 'prompt' ? command.promptId : command.id;
    const expiresAt = command.type === 'prompt' ? Date.parse(command.expiresAt) : now + ANNOUNCEMENT_WAIT_MS;
    echos.putPending(speakerId, { key, command, createdAt: now, expiresAt });
    // Kept first, so the skill has it whatever becomes of the reminder (which logs and counts its own failures).
    void reminders.remind(echo, key);
  }
}

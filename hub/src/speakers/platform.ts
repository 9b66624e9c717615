import type { DeviceCommand } from '@mimamori/contract';

/**
 * One kind of speaker a home can have (an MQTT speaker, an Echo through the Alexa skill): how
 * to find the home's speakers of that kind and hand one a command. A new platform is a file
 * implementing this and a line in the hub's list of platforms; check-ins, rules and alerts do
 * not know which platform a home has.
 */
export interface SpeakerPlatform {
  readonly name: string;
  /** Ids of the home's speakers on this platform (none when the home has none). */
  speakersOf(homeId: string): readonly string[];
  /** Hands a command to one speaker; resolves once the platform took it, rejects when it could not. */
  send(homeId: string, speakerId: string, command: DeviceCommand): Promise<void>;
}

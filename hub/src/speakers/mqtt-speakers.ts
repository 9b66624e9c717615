import type { DeviceCommand } from '@mimamori/contract';
import type { DeviceRepository } from '../store/index.js';
import type { SpeakerPlatform } from './platform.js';

/**
 * Speakers that speak the hub's MQTT contract (the reference speaker, device-sim): registered
 * devices of kind `speaker`, sent commands on their `…/command` topic through the broker.
 */
export class MqttSpeakers implements SpeakerPlatform {
  readonly name = 'mqtt';

  constructor(
    private readonly deps: {
      devices: Pick<DeviceRepository, 'ofHome'>;
      /** The broker's publish to a device's command topic (QoS 1). */
      sendCommand: (homeId: string, deviceId: string, command: DeviceCommand) => Promise<void>;
    },
  ) {}

  speakersOf(homeId: string): string[] {
    return this.deps.devices
      .ofHome(homeId)
      .filter((d) => d.kind === 'speaker')
      .map((d) => d.id);
  }

  send(homeId: string, speakerId: string, command: DeviceCommand): Promise<void> {
    return this.deps.sendCommand(homeId, speakerId, command);
  }
}

import { ID_PATTERN } from './ids.js';

/** Every topic of protocol v1 lives under this root (PROTOCOL.md, MQTT). */
export const TOPIC_ROOT = 'mimamori/v1';

export type DeviceChannel = 'event' | 'status' | 'command';
const DEVICE_CHANNELS: ReadonlySet<string> = new Set<DeviceChannel>(['event', 'status', 'command']);

/** The reserved second level under which a home's Zigbee2MQTT gateway publishes. */
export const Z2M_LEVEL = 'z2m';

export type ParsedTopic =
  | { kind: 'device'; homeId: string; deviceId: string; channel: DeviceChannel }
  | { kind: 'z2m'; homeId: string; friendlyName: string };

export function deviceTopic(homeId: string, deviceId: string, channel: DeviceChannel): string {
  return `${TOPIC_ROOT}/${homeId}/${deviceId}/${channel}`;
}

export function z2mTopicPrefix(homeId: string): string {
  return `${TOPIC_ROOT}/${homeId}/${Z2M_LEVEL}`;
}

/**
 * Reads a concrete (wildcard-free) topic of protocol v1, or returns undefined for anything
 * else. Zigbee2MQTT's own sub-topics (`…/z2m/bridge/state`, `…/z2m/{name}/availability`) are
 * not device state and parse as undefined too.
 */
export function parseTopic(topic: string): ParsedTopic | undefined {
  const levels = topic.split('/');
  if (levels.length !== 5 || `${levels[0]}/${levels[1]}` !== TOPIC_ROOT) return undefined;
  const [, , homeId, second, third] = levels as [string, string, string, string, string];
  if (!ID_PATTERN.test(homeId)) return undefined;
  if (second === Z2M_LEVEL) {
    if (third.length === 0 || third === 'bridge') return undefined;
    return { kind: 'z2m', homeId, friendlyName: third };
  }
  if (!ID_PATTERN.test(second) || !DEVICE_CHANNELS.has(third)) return undefined;
  return { kind: 'device', homeId, deviceId: second, channel: third as DeviceChannel };
}

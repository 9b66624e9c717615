import { deviceTopic, parseTopic } from '@mimamori/contract';
import type { DevicePrincipal } from '../store/index.js';

/**
 * The topic policy of PROTOCOL.md (MQTT, Authentication), as pure functions:
 * a device publishes only `mimamori/v1/{its home}/{itself}/event|status` (a gateway also
 * `mimamori/v1/{its home}/z2m/{friendlyName}`) and subscribes only to its own `…/command`.
 */
export function mayPublish(device: DevicePrincipal, topic: string): boolean {
  // aedes' default guard, kept: clients never publish under $SYS (moscajs/aedes#597).
  if (topic.startsWith('$SYS/')) return false;
  const parsed = parseTopic(topic);
  if (!parsed || parsed.homeId !== device.homeId) return false;
  if (parsed.kind === 'z2m') return device.kind === 'gateway';
  return parsed.deviceId === device.deviceId && parsed.channel !== 'command';
}

/** Exactly the device's own command topic; any wildcard or other topic is refused. */
export function maySubscribe(device: DevicePrincipal, topicFilter: string): boolean {
  return topicFilter === deviceTopic(device.homeId, device.deviceId, 'command');
}

/**
 * Client ids are the device id, or `{deviceId}:{anything}` for tools that need their own.
 * Binding the id to the credentials stops one device from taking over another's persistent
 * session (and its queued commands); `:` cannot occur in a device id, so no prefix clashes.
 */
export function clientIdMatches(device: DevicePrincipal, clientId: string): boolean {
  return clientId === device.deviceId || clientId.startsWith(`${device.deviceId}:`);
}

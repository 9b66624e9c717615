import { deviceTopic, parseTopic, z2mTopicPrefix } from '@mimamori/contract';
import type { DevicePrincipal } from '../store/index.js';

/**
 * The topic policy of PROTOCOL.md (MQTT, Authentication), as pure functions:
 * a device publishes only `mimamori/v1/{its home}/{itself}/event|status` (a gateway also
 * anything under `mimamori/v1/{its home}/z2m/#`) and subscribes only to its own `…/command`.
 */
export function mayPublish(device: DevicePrincipal, topic: string): boolean {
  // aedes' default guard, kept: clients never publish under $SYS (moscajs/aedes#597).
  if (topic.startsWith('$SYS/')) return false;
  // Zigbee2MQTT publishes its own topics (bridge/state, {name}/availability) beside device
  // states; they are the gateway's to send, and ingest ignores them.
  if (device.kind === 'gateway' && isUnder(topic, `${z2mTopicPrefix(device.homeId)}/`)) return true;
  const parsed = parseTopic(topic);
  if (!parsed || parsed.homeId !== device.homeId || parsed.kind === 'z2m') return false;
  return parsed.deviceId === device.deviceId && parsed.channel !== 'command';
}

/** A concrete topic strictly below `prefix` (which ends in `/`), with no empty level. */
function isUnder(topic: string, prefix: string): boolean {
  if (!topic.startsWith(prefix)) return false;
  const rest = topic.slice(prefix.length).split('/');
  return rest.every((level) => level.length > 0 && !level.includes('+') && !level.includes('#'));
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

import { deviceKindMeaning, type DeviceEventInput, type DeviceKind } from '@mimamori/contract';

/**
 * Zigbee2MQTT state payloads (one JSON object with every attribute the device reports) as
 * Mimamori events, read by the kind of device registered under the friendly name (the kind
 * table's `fromZigbee2Mqtt`: occupancy → motion, contact → door, temperature/humidity →
 * environment, power → power). A payload without the kind's attributes, or from a kind that
 * has none, is a `heartbeat`: the device is alive.
 *
 * `battery` rides along on every event. Zigbee2MQTT payloads carry no message id, so the id is
 * made from the time: the message's `last_seen` when the bridge sends it, else the arrival.
 * Returns undefined for a payload that is not an object; the result is validated like any event.
 */
export function z2mEvent(kind: DeviceKind, payload: unknown, receivedAt: number): DeviceEventInput | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const state = payload as Record<string, unknown>;
  const lastSeen =
    typeof state.last_seen === 'number'
      ? state.last_seen
      : typeof state.last_seen === 'string'
        ? Date.parse(state.last_seen)
        : NaN;
  const ts = Number.isFinite(lastSeen) ? lastSeen : receivedAt;
  const battery =
    typeof state.battery === 'number' && state.battery >= 0 && state.battery <= 100 ? { battery: state.battery } : {};
  const body = deviceKindMeaning(kind).fromZigbee2Mqtt?.(state) ?? { type: 'heartbeat' };
  return { ...body, id: `z2m-${ts}-${body.type}`, ts, ...battery };
}

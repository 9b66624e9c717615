import type { DeviceEvent, DeviceKind } from '@mimamori/contract';

/**
 * Zigbee2MQTT state payloads (one JSON object with every attribute the device reports) as
 * Mimamori events, interpreted by the kind of device registered under the friendly name:
 *
 * - motion: `occupancy` → `motion` `{occupied}`
 * - door: `contact` → `door` `{open: !contact}` (Zigbee2MQTT's `contact: true` means closed)
 * - environment: `temperature`, `humidity` → `environment`
 * - power: `power` (W) → `power` `{watts}`
 * - anything else, or a payload without the kind's attribute: `heartbeat` (the device is alive)
 *
 * `battery` rides along on every event. Zigbee2MQTT payloads carry no message id, so the id is
 * made from the time: the message's `last_seen` when the bridge sends it, else the arrival.
 * Returns undefined for a payload that is not an object.
 */
export function z2mEvent(kind: DeviceKind, payload: unknown, receivedAt: number): DeviceEvent | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const p = payload as Record<string, unknown>;
  const lastSeen =
    typeof p.last_seen === 'number' ? p.last_seen : typeof p.last_seen === 'string' ? Date.parse(p.last_seen) : NaN;
  const ts = Number.isFinite(lastSeen) ? lastSeen : receivedAt;
  const battery = typeof p.battery === 'number' && p.battery >= 0 && p.battery <= 100 ? { battery: p.battery } : {};
  const common = (type: string) => ({ id: `z2m-${ts}-${type}`, ts, ...battery });
  if (kind === 'motion' && typeof p.occupancy === 'boolean')
    return { ...common('motion'), type: 'motion', occupied: p.occupancy };
  if (kind === 'door' && typeof p.contact === 'boolean') return { ...common('door'), type: 'door', open: !p.contact };
  if (kind === 'power' && typeof p.power === 'number' && p.power >= 0)
    return { ...common('power'), type: 'power', watts: p.power };
  if (kind === 'environment' && (typeof p.temperature === 'number' || typeof p.humidity === 'number')) {
    return {
      ...common('environment'),
      type: 'environment',
      ...(typeof p.temperature === 'number' && { temperatureC: p.temperature }),
      ...(typeof p.humidity === 'number' && { humidityPct: p.humidity }),
    };
  }
  return { ...common('heartbeat'), type: 'heartbeat' };
}

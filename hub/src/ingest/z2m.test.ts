import { deviceEvent } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import { z2mEvent } from './z2m.js';

const AT = Date.parse('2026-11-23T09:00:00+09:00');

describe('Zigbee2MQTT payloads as events', () => {
  it.each([
    [
      'motion',
      { occupancy: true, battery: 90, illuminance: 12, linkquality: 80 },
      { type: 'motion', occupied: true, battery: 90 },
    ],
    ['motion', { occupancy: false }, { type: 'motion', occupied: false }],
    // contact: true means the magnet is next to the sensor, i.e. the door is closed.
    ['door', { contact: true, battery: 70 }, { type: 'door', open: false, battery: 70 }],
    ['door', { contact: false }, { type: 'door', open: true }],
    [
      'environment',
      { temperature: 29.4, humidity: 61, battery: 55 },
      { type: 'environment', temperatureC: 29.4, humidityPct: 61, battery: 55 },
    ],
    ['environment', { temperature: 18 }, { type: 'environment', temperatureC: 18 }],
    ['power', { power: 1200.5, energy: 3.2, state: 'ON' }, { type: 'power', watts: 1200.5 }],
    ['motion', { battery: 40, linkquality: 30 }, { type: 'heartbeat', battery: 40 }],
    ['sos_button', { action: 'single' }, { type: 'heartbeat' }],
  ] as const)('maps a %s device’s %j', (kind, payload, expected) => {
    const event = z2mEvent(kind, payload, AT);
    expect(event).toEqual({ id: `z2m-${AT}-${expected.type}`, ts: AT, ...expected });
    expect(deviceEvent.safeParse(event).success).toBe(true);
  });

  it('takes the time from last_seen when the bridge sends it, so a resent state is a duplicate', () => {
    const lastSeen = '2026-11-23T08:59:58+09:00';
    expect(z2mEvent('motion', { occupancy: true, last_seen: lastSeen }, AT)).toMatchObject({
      ts: Date.parse(lastSeen),
      id: `z2m-${Date.parse(lastSeen)}-motion`,
    });
    expect(z2mEvent('motion', { occupancy: true, last_seen: AT - 5000 }, AT)).toMatchObject({ ts: AT - 5000 });
  });

  it.each([[null], [[1, 2]], ['ON'], [42]])('refuses %j, which is not a state object', (payload) => {
    expect(z2mEvent('motion', payload, AT)).toBeUndefined();
  });

  it('drops a battery reading out of range rather than the event', () => {
    expect(z2mEvent('door', { contact: true, battery: 250 }, AT)).toEqual({
      id: `z2m-${AT}-door`,
      ts: AT,
      type: 'door',
      open: false,
    });
  });
});

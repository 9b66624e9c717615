import { deviceInput, homeInput } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import { openStores } from './stores.js';

describe('the journal and a device’s online state', () => {
  it('does not bring a device back online with an event received before its will said offline', async () => {
    const stores = openStores(':memory:');
    stores.homes.create(homeInput.parse({ id: 'h1', name: 'h1' }), 0);
    stores.devices.create(deviceInput.parse({ id: 'btn-1', homeId: 'h1', kind: 'sos_button' }), 0);
    const append = (id: string, receivedAt: number) =>
      stores.journal.append({
        homeId: 'h1',
        deviceId: 'btn-1',
        event: { id, ts: receivedAt, type: 'heartbeat' },
        receivedAt,
      });
    const online = () => stores.devices.list('h1')[0]?.online;

    // Received at 1000; its group commits only after the will (at 1001) was taken: still offline.
    const held = append('e1', 1000);
    stores.devices.setOnline('btn-1', false, 1001);
    await held;
    expect(online()).toBe(false);
    // Heard from again afterwards: online.
    await append('e2', 1002);
    expect(online()).toBe(true);
  });
});

import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { provisionDevice, staffClient } from '../hub/src/testing/test-hub.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';

/**
 * kill -9 right after a PUBACK: the acknowledged event must be in the store after restart,
 * and the alert an acknowledged SOS causes must exist even if the hub died before writing it.
 */
describe('a hub killed with SIGKILL right after PUBACK', () => {
  let hub: HubProcess | undefined;
  afterEach(async () => hub?.stop());

  it('loses no acknowledged event and raises the alert of an acknowledged SOS after restart', async () => {
    hub = await startHubProcess();
    const api = await staffClient(hub.http);
    const { username, password, topicPrefix } = await provisionDevice(api, { homeId: 'home-1', deviceId: 'dev-1' });
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${hub.mqttPort}`, {
      username,
      password,
      clientId: username,
      reconnectPeriod: 0,
    });

    const acknowledged: string[] = [];
    // A burst of QoS 1 events with an SOS last; the kill lands the moment the SOS's PUBACK arrives.
    const burst = Array.from({ length: 200 }, (_, i) => ({ id: `hb-${i}`, ts: Date.now(), type: 'heartbeat' }));
    await Promise.all(
      burst.map(async (event) => {
        await client.publishAsync(`${topicPrefix}/event`, JSON.stringify(event), { qos: 1 });
        acknowledged.push(event.id);
      }),
    );
    await client.publishAsync(
      `${topicPrefix}/event`,
      JSON.stringify({ id: 'sos-1', ts: Date.now(), type: 'sos', via: 'button' }),
      { qos: 1 },
    );
    acknowledged.push('sos-1');
    await hub.kill9();
    client.end(true);

    hub = await startHubProcess({}, hub.dataDir);
    const after = await staffClient(hub.http);
    const range = `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}&limit=10000`;
    const stored = (await after('GET', `/api/homes/home-1/events?${range}`)).body as { items: { eventId: string }[] };
    const storedIds = new Set(stored.items.map((e) => e.eventId));
    expect(acknowledged.filter((id) => !storedIds.has(id))).toEqual([]);
    expect((await after('GET', '/api/alerts')).body).toMatchObject({
      items: [{ rule: 'sos', homeId: 'home-1', fireCount: 1 }],
    });
  });
});

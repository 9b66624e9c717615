import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionDevice, staffClient } from '../hub/src/testing/test-hub.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';
import { startInfluxd, type Influxd } from './support/influxd.js';
import { requireTool } from './support/require-tool.js';

const haveInfluxd = requireTool('influxd', 'influxdb');

describe.runIf(haveInfluxd)('the built hub with InfluxDB as its time series', () => {
  let influxd: Influxd;
  let hub: HubProcess;
  beforeAll(async () => {
    influxd = await startInfluxd();
    hub = await startHubProcess({ MIMAMORI_TIMESERIES: 'influx', MIMAMORI_INFLUX_URL: `${influxd.url}/mimamori` });
  }, 60_000);
  afterAll(async () => {
    await hub?.stop();
    await influxd?.destroy();
  });

  it('serves event history from InfluxDB and still raises the SOS alert while InfluxDB is down', async () => {
    const api = await staffClient(hub.http);
    const { username, password, topicPrefix } = await provisionDevice(api, { homeId: 'home-1', deviceId: 'btn-1' });
    const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${hub.mqttPort}`, { username, password, clientId: username, reconnectPeriod: 0 });
    const range = () => `from=${new Date(Date.now() - 60_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const history = async () => ((await api('GET', `/api/homes/home-1/events?${range()}`)).body as { items?: { eventId: string }[] }).items ?? [];

    await device.publishAsync(`${topicPrefix}/event`, JSON.stringify({ id: 'hb-1', ts: Date.now(), type: 'heartbeat' }), { qos: 1 });
    const deadline = Date.now() + 15_000;
    while ((await history()).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await history()).map((e) => e.eventId)).toEqual(['hb-1']);

    await influxd.stop();
    await device.publishAsync(`${topicPrefix}/event`, JSON.stringify({ id: 'sos-1', ts: Date.now(), type: 'sos', via: 'button' }), { qos: 1 });
    expect((await api('GET', '/api/alerts')).body).toMatchObject({ items: [{ rule: 'sos' }] });
    expect((await fetch(`${hub.http}/health`)).status).toBe(503);

    await influxd.start();
    const again = Date.now() + 30_000;
    while ((await history()).length < 2 && Date.now() < again) await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await history()).map((e) => e.eventId)).toEqual(['hb-1', 'sos-1']);
    await device.endAsync();
  });
});

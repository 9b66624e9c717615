import type mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MQTT_VERSIONS, connackRefusal, type MqttVersion } from '../hub/src/testing/mqtt-versions.js';
import { provisionDevice, staffClient } from '../hub/src/testing/test-hub.js';
import { until } from '../hub/src/testing/until.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';
import {
  closedOf,
  connectDevice,
  endOf,
  eventPayload,
  metric,
  publishQos1,
  rawClient,
  rawSocket,
  remainingLength,
  storedEventIds,
  subscribeQos1,
} from './support/mqtt-probe.js';

const refused = (reason: string) => `mimamori_mqtt_connections_refused_total{reason="${reason}"}`;
const rejected = (reason: string) => `mimamori_mqtt_messages_rejected_total{reason="${reason}"}`;

/** A built hub with `env`, and devices that connect to it over `version`. */
function hubWith(version: MqttVersion, env: Record<string, string>, defaults: mqtt.IClientOptions = {}) {
  const ctx = { clients: [] as mqtt.MqttClient[] } as {
    hub: HubProcess;
    api: Awaited<ReturnType<typeof staffClient>>;
    clients: mqtt.MqttClient[];
  };
  beforeAll(async () => {
    ctx.hub = await startHubProcess(env);
    ctx.api = await staffClient(ctx.hub.http);
  });
  afterAll(async () => {
    for (const client of ctx.clients) client.end(true);
    await ctx.hub?.stop();
  });
  const connect = async (options: mqtt.IClientOptions) => {
    const connected = await connectDevice(`mqtt://127.0.0.1:${ctx.hub.mqttPort}`, {
      protocolVersion: version.protocolVersion,
      ...defaults,
      ...options,
    });
    ctx.clients.push(connected.client);
    return connected;
  };
  const device = async (homeId: string, deviceId: string, kind?: string) => {
    const creds = await provisionDevice(ctx.api, { homeId, deviceId, ...(kind ? { kind } : {}) });
    return { creds, as: { username: creds.username, password: creds.password, clientId: creds.username } };
  };
  return { ctx, connect, device };
}

describe.each(MQTT_VERSIONS)('the embedded broker’s per-device limits over $label (tight settings)', (version) => {
  const v5 = version.protocolVersion === 5;
  const CONNECT_TIMEOUT_MS = 1000;
  const { ctx, connect, device } = hubWith(version, {
    MIMAMORI_MQTT_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    MIMAMORI_MQTT_MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
    // One token a minute: no test here runs long enough to earn a second one.
    MIMAMORI_MQTT_PUBLISHES_PER_MINUTE: '1',
    MIMAMORI_MQTT_PUBLISH_BURST: '5',
    MIMAMORI_MQTT_CONNECT_BURST_PER_DEVICE: '100',
    MIMAMORI_MQTT_MAX_SESSIONS_PER_DEVICE: '4',
  });

  it('closes sockets that send no CONNECT, or only part of one, once mqtt.connectTimeoutMs has passed; a connected device stays', async () => {
    const { as } = await device('home-idle', 'btn-idle');
    const opened = Date.now();
    const idle = await rawSocket(ctx.hub.mqttPort);
    const trickle = await rawSocket(ctx.hub.mqttPort);
    trickle.socket.write(Uint8Array.from([0x10, ...remainingLength(100), 0x00, 0x04, 0x4d, 0x51])); // 4 of 100 bytes
    const connected = await connect({ ...as, keepalive: 60 });
    expect(connected.code).toBe(0);

    await Promise.all([idle.closed, trickle.closed]);

    // Closed by the timeout, not before it.
    expect(Date.now() - opened).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 50);
    expect(connected.client.connected).toBe(true);
  });

  it('refuses a fifth connection of one device credential at CONNECT; a reconnect under a held client id replaces its connection', async () => {
    const { as: base } = await device('home-conn', 'btn-conn');
    const as = (id: string) => ({ ...base, clientId: `${base.username}:${id}` });
    const [one, two, three, four] = [
      await connect(as('1')),
      await connect(as('2')),
      await connect(as('3')),
      await connect(as('4')),
    ];
    expect([one.code, two.code, three.code, four.code]).toEqual([0, 0, 0, 0]);

    expect((await connect(as('5'))).code).toBe(connackRefusal(version, 'serverUnavailable'));
    expect(await metric(ctx.hub.http, refused('too_many_connections'))).toBe(1);

    const takeover = await connect(as('1'));
    expect(takeover.code).toBe(0);
    await closedOf(one.client);

    await two.client.endAsync();
    expect(
      await until(
        async () => (await connect(as('6'))).code,
        (code) => code === 0,
      ),
    ).toBe(0);
  });

  it('closes a connection that asks for more topic filters than mqtt.maxSubscriptionsPerConnection (v5: DISCONNECT 0x97)', async () => {
    const { creds, as } = await device('home-subs', 'btn-subs');
    const { client } = await connect(as);
    const ended = endOf(client);
    expect(await subscribeQos1(client, `${creds.topicPrefix}/command`)).toBe(1);
    expect(await subscribeQos1(client, `${creds.topicPrefix}/command`)).toBe(1);
    expect(await subscribeQos1(client, 'mimamori/v1/home-subs/other/command')).toBe(v5 ? 0x87 : 128);
    expect(await subscribeQos1(client, `${creds.topicPrefix}/command`)).toBe('closed');
    expect(await ended).toBe(v5 ? 0x97 : 'closed');
    expect(await metric(ctx.hub.http, rejected('too_many_subscriptions'))).toBe(1);
  });

  it('closes a device over its publish rate without PUBACK (v5: DISCONNECT 0x97), stores nothing past the bucket, and a reconnect does not refill it', async () => {
    const { creds, as } = await device('home-rate', 'btn-rate');
    const first = (await connect(as)).client;
    const outcomes = [];
    const ended = endOf(first);
    for (let n = 1; n <= 6; n++)
      outcomes.push(await publishQos1(first, `${creds.topicPrefix}/event`, eventPayload(`rate-${n}`)));
    expect(outcomes).toEqual(['acked', 'acked', 'acked', 'acked', 'acked', 'closed']);
    expect(await ended).toBe(v5 ? 0x97 : 'closed');

    const again = (await connect(as)).client;
    expect(await publishQos1(again, `${creds.topicPrefix}/event`, eventPayload('rate-7'))).toBe('closed');

    expect((await storedEventIds(ctx.api, 'home-rate')).sort()).toEqual([
      'rate-1',
      'rate-2',
      'rate-3',
      'rate-4',
      'rate-5',
    ]);
    expect(await metric(ctx.hub.http, rejected('rate_limited'))).toBe(2);
  });

  it('charges a will to the device’s publish budget when it is set: a device with none left cannot ingest by connecting with wills and resetting (issue 23: 3,000 events in 4 s)', async () => {
    const { creds, as } = await device('home-will', 'btn-will');
    const first = (await connect(as)).client;
    for (let n = 1; n <= 5; n++)
      expect(await publishQos1(first, `${creds.topicPrefix}/event`, eventPayload(`spent-${n}`))).toBe('acked');
    await first.endAsync();

    const codes = [];
    for (let n = 1; n <= 30; n++) {
      const { code, client } = await connect({
        ...as,
        clientId: `${creds.username}:w${n}`,
        will: {
          topic: `${creds.topicPrefix}/event`,
          payload: Buffer.from(eventPayload(`will-${n}`, n % 10 === 0 ? 'sos' : 'heartbeat')),
          qos: 1,
          retain: false,
        },
      });
      codes.push(code);
      client.stream.destroy(); // a reset, not a DISCONNECT: the broker would publish the will
    }
    expect(new Set(codes)).toEqual(new Set([connackRefusal(version, 'serverUnavailable')]));
    expect(await metric(ctx.hub.http, refused('will_rate_limited'))).toBe(30);
    // Give any will the broker might still publish the time to arrive: nothing past the 5 may be stored.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await storedEventIds(ctx.api, 'home-will')).sort()).toEqual([
      'spent-1',
      'spent-2',
      'spent-3',
      'spent-4',
      'spent-5',
    ]);
    expect((await ctx.api('GET', '/api/alerts?homeId=home-will')).body).toEqual({ items: [] });
  });

  it('keeps at most mqtt.maxSessionsPerDevice persistent sessions of one device, the longest idle ending first, and counts them in /metrics (issue 23: 8,750 sessions)', async () => {
    const { creds, as } = await device('home-sessions', 'spk-sessions', 'speaker');
    // v5 asks for a session that never expires; the hub grants at most mqtt.sessionExpirySeconds (2 days).
    const persistent: mqtt.IClientOptions = v5
      ? { clean: false, properties: { sessionExpiryInterval: 0xffff_ffff } }
      : { clean: false };
    for (let n = 1; n <= 12; n++) {
      const { client, connack } = await connect({ ...as, clientId: `${creds.username}:boot-${n}`, ...persistent });
      if (v5) expect(connack?.properties?.sessionExpiryInterval).toBe(2 * 86_400);
      expect(await subscribeQos1(client, `${creds.topicPrefix}/command`)).toBe(1);
      await client.endAsync();
    }
    expect(
      await until(
        () => metric(ctx.hub.http, 'mimamori_mqtt_sessions'),
        (n) => n === 4,
      ),
    ).toBe(4);
    const again = async (n: number) =>
      (await connect({ ...as, clientId: `${creds.username}:boot-${n}`, ...persistent })).connack?.sessionPresent;
    expect(await again(1)).toBe(false);
    expect(await again(12)).toBe(true);
  });
});

describe.each(MQTT_VERSIONS)('CONNECT rate, failed CONNECTs and keep-alive over $label', (version) => {
  const v5 = version.protocolVersion === 5;
  const { ctx, connect, device } = hubWith(
    version,
    {
      MIMAMORI_MQTT_CONNECT_BURST_PER_DEVICE: '3',
      MIMAMORI_MQTT_CONNECTS_PER_DEVICE_PER_MINUTE: '1',
      MIMAMORI_MQTT_FAILED_CONNECTS_BEFORE_BACKOFF: '3',
      MIMAMORI_MQTT_KEEPALIVE_LIMIT_SECONDS: '2',
      MIMAMORI_MQTT_SESSION_EXPIRY_SECONDS: '2',
    },
    // Within the keep-alive limit set above.
    { keepalive: 2 },
  );

  it('refuses a device’s CONNECTs past its connect rate with CONNACK 3 (v5 0x88)', async () => {
    const { as } = await device('home-cr', 'btn-cr');
    const codes = [];
    for (let n = 1; n <= 4; n++) codes.push((await connect({ ...as, clientId: `${as.username}:${n}` })).code);
    expect(codes).toEqual([0, 0, 0, connackRefusal(version, 'serverUnavailable')]);
    expect(await metric(ctx.hub.http, refused('connect_rate_limited'))).toBe(1);
  });

  it('ends a persistent session idle for longer than mqtt.sessionExpirySeconds', async () => {
    const { as } = await device('home-idle-session', 'spk-idle', 'speaker');
    const persistent: mqtt.IClientOptions = v5
      ? { clean: false, properties: { sessionExpiryInterval: 3600 } }
      : { clean: false };
    const first = await connect({ ...as, ...persistent });
    expect(await subscribeQos1(first.client, `mimamori/v1/home-idle-session/spk-idle/command`)).toBe(1);
    await first.client.endAsync();
    expect(
      await until(
        () => metric(ctx.hub.http, 'mimamori_mqtt_sessions'),
        (n) => n === 0,
      ),
    ).toBe(0);
    expect((await connect({ ...as, ...persistent })).connack?.sessionPresent).toBe(false);
  });

  it('limits keep-alive: v5 is given Server Keep Alive and a silent client is closed; 3.1.1 asking for 0 or more is refused', async () => {
    const { as } = await device('home-ka', 'btn-ka');
    if (v5) {
      const { connack } = await connect({ ...as, clientId: `${as.username}:a`, keepalive: 0 });
      expect(connack?.properties?.serverKeepAlive).toBe(2);
      const silent = await rawClient(ctx.hub.mqttPort, { protocolVersion: 5, ...as, keepalive: 0 });
      expect(silent.connack).toMatchObject({ reasonCode: 0, properties: { serverKeepAlive: 2 } });
      const opened = Date.now();
      await silent.closed;
      // Closed by the keep-alive (1.5 × 2 s), not before it.
      expect(Date.now() - opened).toBeGreaterThanOrEqual(2900);
    } else {
      expect((await connect({ ...as, keepalive: 0 })).code).not.toBe(0);
      expect((await connect({ ...as, keepalive: 60 })).code).not.toBe(0);
      expect((await connect({ ...as, keepalive: 2 })).code).toBe(0);
    }
  });

  it('makes an address that keeps failing wait, with one warn line; a device known at that address still gets in', async () => {
    const known = await device('home-bo', 'btn-known');
    const fresh = await device('home-bo2', 'btn-fresh');
    expect((await connect(known.as)).code).toBe(0);
    const before = ctx.hub
      .output()
      .split('\n')
      .filter((l) => l.includes('wrong credentials from this address')).length;
    const wrong = [];
    for (let n = 0; n < 6; n++)
      wrong.push((await connect({ username: 'guess', password: `guess-${n}`, clientId: 'guess' })).code);
    // Three free failures, then a 1 s wait: CONNECTs meanwhile are refused unchecked.
    expect(wrong.slice(0, 4)).toEqual(new Array(4).fill(connackRefusal(version, 'badCredentials')));
    expect(wrong.slice(4)).toEqual(new Array(2).fill(connackRefusal(version, 'serverUnavailable')));
    expect(await metric(ctx.hub.http, refused('backoff'))).toBeGreaterThanOrEqual(2);

    expect((await connect({ ...fresh.as, clientId: `${fresh.as.username}:x` })).code).toBe(
      connackRefusal(version, 'serverUnavailable'),
    );
    expect((await connect({ ...known.as, clientId: `${known.as.username}:y` })).code).toBe(0);
    expect(
      await until(
        async () => (await connect({ ...fresh.as, clientId: `${fresh.as.username}:z` })).code,
        (code) => code === 0,
      ),
    ).toBe(0);
    const lines = ctx.hub
      .output()
      .split('\n')
      .filter((l) => l.includes('wrong credentials from this address'));
    expect(lines.length - before).toBe(1);
    expect(lines.at(-1)).toContain('"address":"127.0.0.1"');
  });
});

describe('sockets per source address', () => {
  const { ctx } = hubWith(MQTT_VERSIONS[0], {
    MIMAMORI_MQTT_CONNECT_BURST_PER_ADDRESS: '5',
    MIMAMORI_MQTT_CONNECTS_PER_ADDRESS_PER_MINUTE: '1',
  });

  it('closes a socket from an address that opens more than mqtt.connectBurstPerAddress at once, before reading it', async () => {
    const sockets = [];
    for (let n = 0; n < 5; n++) sockets.push(await rawSocket(ctx.hub.mqttPort));
    const sixth = await rawSocket(ctx.hub.mqttPort);
    await sixth.closed;
    expect(await metric(ctx.hub.http, refused('address_rate_limited'))).toBe(1);
    const stillOpen = await Promise.race([
      sockets[0]?.closed.then(() => false),
      new Promise((resolve) => setTimeout(() => resolve(true), 200)),
    ]);
    expect(stillOpen).toBe(true);
    for (const { socket } of sockets) socket.destroy();
  });
});

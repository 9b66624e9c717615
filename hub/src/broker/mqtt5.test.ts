import { connect } from 'node:net';
import mqtt from 'mqtt';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionDevice, staffClient, startTestHub } from '../testing/test-hub.js';
import { until } from '../testing/until.js';

/**
 * What MQTT 5 adds that the hub bounds (docs/protocol.md, "MQTT 5 flow control"): the limits a
 * v5 client is told in CONNACK, topic aliases (checked like any topic), and the Receive Maximum.
 */
describe('MQTT 5 limits of the embedded broker', () => {
  let ctx: Awaited<ReturnType<typeof startTestHub>>;
  let api: Awaited<ReturnType<typeof staffClient>>;
  let creds: { username: string; password: string; topicPrefix: string };
  const clients: mqtt.MqttClient[] = [];
  const range = () =>
    `from=${new Date(ctx.clock.now() - 60_000).toISOString()}&to=${new Date(ctx.clock.now() + 60_000).toISOString()}`;
  const storedIds = async () =>
    ((await api('GET', `/api/homes/home-5/events?${range()}`)).body as { items: { eventId: string }[] }).items.map(
      (e) => e.eventId,
    );
  const event = (id: string) => JSON.stringify({ id, ts: ctx.clock.now(), type: 'heartbeat' });
  const connectV5 = async (options: mqtt.IClientOptions = {}) => {
    const client = await mqtt.connectAsync(ctx.mqtt, {
      username: creds.username,
      password: creds.password,
      clientId: creds.username,
      protocolVersion: 5,
      reconnectPeriod: 0,
      ...options,
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    ctx = await startTestHub({ mqtt: { receiveMaximum: 2, topicAliasMaximum: 3 } });
    api = await staffClient(ctx.http);
    creds = await provisionDevice(api, { homeId: 'home-5', deviceId: 'btn-5' });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await ctx?.stop();
  });

  it('tells a v5 client its limits in CONNACK', async () => {
    const client = mqtt.connect(ctx.mqtt, {
      username: creds.username,
      password: creds.password,
      clientId: creds.username,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    clients.push(client);
    const connack = await new Promise<mqtt.IConnackPacket>((resolve) => client.once('connect', resolve));
    expect(connack.properties).toMatchObject({
      maximumPacketSize: 64 * 1024,
      receiveMaximum: 2,
      topicAliasMaximum: 3,
      sharedSubscriptionAvailable: false,
    });
  });

  it('resolves a topic alias to its topic and stores the event; an alias past the maximum closes with 0x94', async () => {
    const client = await connectV5();
    await client.publishAsync(`${creds.topicPrefix}/event`, event('alias-1'), {
      qos: 1,
      properties: { topicAlias: 1 },
    });
    await client.publishAsync('', event('alias-2'), { qos: 1, properties: { topicAlias: 1 } });
    expect((await storedIds()).sort()).toEqual(['alias-1', 'alias-2']);

    // mqtt.js keeps to the advertised maximum itself: the packet is written as a misbehaving device would.
    const disconnected = new Promise<number | undefined>((resolve) =>
      client.once('disconnect', (packet) => resolve(packet.reasonCode)),
    );
    client.stream.write(
      mqttPacket.generate(
        {
          cmd: 'publish',
          topic: `${creds.topicPrefix}/event`,
          payload: event('alias-9'),
          qos: 1,
          messageId: 9,
          dup: false,
          retain: false,
          properties: { topicAlias: 9 },
        },
        { protocolVersion: 5 },
      ),
    );
    expect(await disconnected).toBe(0x94);
    expect(await storedIds()).not.toContain('alias-9');
  });

  it('refuses an aliased topic outside the device’s own like any other (PUBACK 0x87)', async () => {
    const client = await connectV5({ clientId: `${creds.username}:alias-acl` });
    await expect(
      client.publishAsync('mimamori/v1/home-x/btn-5/event', event('alias-foreign'), {
        qos: 1,
        properties: { topicAlias: 2 },
      }),
    ).rejects.toMatchObject({ code: 0x87 });
    expect(await storedIds()).not.toContain('alias-foreign');
  });

  it('closes a connection with more unacknowledged QoS 1 messages than its Receive Maximum (DISCONNECT 0x93)', async () => {
    const socket = connect(Number(new URL(ctx.mqtt).port), '127.0.0.1');
    const parser = mqttPacket.parser({ protocolVersion: 5 });
    const received: Packet[] = [];
    parser.on('packet', (packet) => received.push(packet));
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const send = (packet: Packet) => socket.write(mqttPacket.generate(packet, { protocolVersion: 5 }));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    send({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 5,
      clientId: `${creds.username}:flood`,
      username: creds.username,
      password: Buffer.from(creds.password),
      clean: true,
      keepalive: 60,
    });
    await until(
      () => received.some((p) => p.cmd === 'connack'),
      (ok) => ok,
    );
    // Five at once, none acknowledged yet: two are within the maximum the hub advertised.
    socket.write(
      Buffer.concat(
        [1, 2, 3, 4, 5].map((n) =>
          mqttPacket.generate(
            {
              cmd: 'publish',
              topic: `${creds.topicPrefix}/event`,
              payload: event(`flood-${n}`),
              qos: 1,
              messageId: n,
              dup: false,
              retain: false,
            },
            { protocolVersion: 5 },
          ),
        ),
      ),
    );
    await closed;
    expect(received.find((p) => p.cmd === 'disconnect')).toMatchObject({ reasonCode: 0x93 });
    const metrics = await (await fetch(`${ctx.http}/metrics`)).text();
    expect(metrics).toMatch(/mimamori_mqtt_messages_rejected_total\{reason="receive_maximum_exceeded"\} 1/);
  });
});

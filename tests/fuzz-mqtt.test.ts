import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { generate, type Packet } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectTestDevice } from '../hub/src/testing/device-client.js';
import { provisionDevice, startTestHub, staffClient } from '../hub/src/testing/test-hub.js';
import { until } from '../hub/src/testing/until.js';
import { anyJsonText, fuzzParameters, hostileString } from './support/fuzz.js';

/**
 * The embedded broker under a random MQTT packet stream (issue 8): raw bytes, and valid
 * packets from mqtt-packet (CONNECT with right and wrong credentials, PUBLISH to the device's
 * own and to forbidden topics with any payload, SUBSCRIBE, PUBREL, AUTH …) mutated byte by byte,
 * cut at random points, over many connections at once, over TCP and WebSocket. The hub must not
 * crash, and afterwards a well-behaved device still connects and its event is stored.
 */

let ctx: Awaited<ReturnType<typeof startTestHub>>;
let api: Awaited<ReturnType<typeof staffClient>>;
let sensor: { username: string; password: string; topicPrefix: string };
let gateway: { username: string; password: string; topicPrefix: string };

beforeAll(async () => {
  ctx = await startTestHub();
  api = await staffClient(ctx.http);
  sensor = await provisionDevice(api, { homeId: 'h-mqtt', deviceId: 'mqtt-speaker', kind: 'speaker' });
  await api('POST', '/api/devices', { id: 'mqtt-gateway', homeId: 'h-mqtt', kind: 'gateway' });
  await api('POST', '/api/devices', { id: 'mqtt-pir', homeId: 'h-mqtt', kind: 'motion', z2mName: 'hall' });
  gateway = (await api('POST', '/api/devices/mqtt-gateway/credentials')).body as typeof gateway;
});

afterAll(async () => {
  if (process.env.FUZZ_STATS)
    console.log(
      (await (await fetch(`${ctx.http}/metrics`)).text())
        .split('\n')
        .filter((line) => /^mimamori_mqtt/.test(line))
        .join('\n'),
    );
  await ctx?.stop();
});

// ---------------------------------------------------------------------------------------------
// Packets

/** Read at generation time: the devices are provisioned in beforeAll. */
const credentials = () => fc.constantFrom('sensor', 'gateway').map((which) => (which === 'sensor' ? sensor : gateway));
const qos = fc.constantFrom<0 | 1 | 2>(0, 1, 2);
const messageId = fc.integer({ min: 1, max: 65_535 });
const payload = fc.oneof(
  fc.constant(JSON.stringify({ id: 'e-fuzz', ts: Date.now(), type: 'motion', occupied: true })),
  fc.constant(JSON.stringify({ online: true })),
  fc.constant(JSON.stringify({ occupancy: true, battery: 80 })),
  anyJsonText.filter((text) => text.length < 30_000),
  fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes)),
);

function topicFor(creds: { topicPrefix: string }): fc.Arbitrary<string> {
  const home = creds.topicPrefix.split('/').slice(0, 3).join('/');
  return fc.oneof(
    fc.constantFrom(
      `${creds.topicPrefix}/event`,
      `${creds.topicPrefix}/status`,
      `${creds.topicPrefix}/command`,
      `${home}/z2m/hall`,
      `${home}/z2m/bridge/state`,
    ),
    fc.constantFrom(
      'mimamori/v1/other-home/dev/event',
      '$SYS/broker/x',
      '#',
      '+/+/+',
      'a/'.repeat(20),
      '',
      '/',
      'mimamori/v1/h-mqtt/mqtt-speaker/event/#',
    ),
    hostileString.filter((s) => s.length < 2_000),
  );
}

/** A packet mqtt-packet can write: mostly well-formed, with the device's real credentials about half the time. */
const packetSpec: fc.Arbitrary<{ packet: Packet; protocolVersion: 3 | 4 | 5 }> = fc
  .tuple(credentials(), fc.constantFrom<3 | 4 | 5>(3, 4, 4, 5))
  .chain(([creds, protocolVersion]) =>
    fc
      .oneof(
        fc.record({
          cmd: fc.constant('connect' as const),
          protocolVersion: fc.constant(protocolVersion),
          protocolId: fc.constant(protocolVersion === 3 ? ('MQIsdp' as const) : ('MQTT' as const)),
          clientId: fc.oneof(
            fc.constant(creds.username),
            fc.constant(`${creds.username}:tool`),
            hostileString.filter((s) => s.length < 500),
          ),
          username: fc.oneof(
            fc.constant(creds.username),
            fc.constant(undefined),
            hostileString.filter((s) => s.length < 500),
          ),
          password: fc.oneof(
            fc.constant(Buffer.from(creds.password)),
            fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
          ),
          clean: fc.boolean(),
          keepalive: fc.integer({ min: 0, max: 65_535 }),
          will: fc.option(fc.record({ topic: topicFor(creds), payload, qos, retain: fc.boolean() }), {
            nil: undefined,
          }),
        }),
        fc.record({
          cmd: fc.constant('publish' as const),
          topic: topicFor(creds),
          payload,
          qos,
          retain: fc.boolean(),
          dup: fc.boolean(),
          messageId,
        }),
        fc.record({
          cmd: fc.constant('subscribe' as const),
          messageId,
          subscriptions: fc.array(fc.record({ topic: topicFor(creds), qos }), { minLength: 1, maxLength: 3 }),
        }),
        fc.record({
          cmd: fc.constant('unsubscribe' as const),
          messageId,
          unsubscriptions: fc.array(topicFor(creds), { minLength: 1, maxLength: 3 }),
        }),
        fc.record({
          cmd: fc.constantFrom('puback' as const, 'pubrec' as const, 'pubrel' as const, 'pubcomp' as const),
          messageId,
        }),
        fc.record({ cmd: fc.constantFrom('pingreq' as const, 'disconnect' as const, 'pingresp' as const) }),
        fc.record({
          cmd: fc.constant('connack' as const),
          returnCode: fc.integer({ min: 0, max: 5 }),
          sessionPresent: fc.boolean(),
        }),
        fc.record({ cmd: fc.constant('auth' as const), reasonCode: fc.constantFrom(0, 0x18, 0x19) }),
      )
      .map((packet) => ({ packet: packet as Packet, protocolVersion })),
  );

/** The bytes of a spec, or none when mqtt-packet refuses to write it (an invalid combination). */
function bytesOf({ packet, protocolVersion }: { packet: Packet; protocolVersion: 3 | 4 | 5 }): Buffer {
  try {
    return generate(packet, { protocolVersion });
  } catch {
    return Buffer.alloc(0);
  }
}

type Mutation =
  | { kind: 'none' }
  | { kind: 'flip' | 'insert'; at: number; byte: number }
  | { kind: 'truncate' | 'duplicate'; at: number }
  | { kind: 'length'; bytes: number[] };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Mutation>({ kind: 'none' }) },
  fc.record({
    kind: fc.constantFrom('flip' as const, 'insert' as const),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constantFrom('truncate' as const, 'duplicate' as const), at: fc.nat() }),
  // A forged Remaining Length (up to the 4-byte maximum and the malformed 5th continuation byte).
  fc.record({
    kind: fc.constant('length' as const),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 5 }),
  }),
);

function mutate(bytes: Buffer, change: Mutation): Buffer {
  if (bytes.length === 0 || change.kind === 'none') return bytes;
  const at = 'at' in change ? change.at % bytes.length : 0;
  switch (change.kind) {
    case 'flip':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([change.byte]), bytes.subarray(at + 1)]);
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([change.byte]), bytes.subarray(at)]);
    case 'truncate':
      return bytes.subarray(0, at);
    case 'duplicate':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at - Math.min(at, 16), at), bytes.subarray(at)]);
    case 'length': {
      // Replace the fixed header's Remaining Length with the forged bytes.
      let end = 1;
      while (end < bytes.length && end < 5 && ((bytes[end] as number) & 0x80) !== 0) end += 1;
      return Buffer.concat([bytes.subarray(0, 1), Buffer.from(change.bytes), bytes.subarray(end + 1)]);
    }
  }
}

/** A PUBLISH a device may make (its own event or status, a gateway's Zigbee2MQTT state), with any payload: these reach ingest. */
const ownPublish = credentials().chain((creds) => {
  const home = creds.topicPrefix.split('/').slice(0, 3).join('/');
  const event = fc.record(
    {
      id: fc.uuid(),
      ts: fc.oneof(fc.constant(Date.now()), fc.integer({ min: 0, max: Date.now() })),
      type: fc.constantFrom('motion', 'door', 'sos', 'checkin', 'heartbeat', 'environment'),
      occupied: fc.boolean(),
      open: fc.boolean(),
      via: fc.constantFrom('button', 'voice'),
      answer: fc.constantFrom('fine', 'help'),
      temperatureC: fc.double({ noNaN: true }),
    },
    { requiredKeys: ['id', 'ts', 'type'] },
  );
  return fc
    .record({
      cmd: fc.constant('publish' as const),
      topic: fc.constantFrom(`${creds.topicPrefix}/event`, `${creds.topicPrefix}/status`, `${home}/z2m/hall`),
      payload: fc.oneof(
        event.map((e) => JSON.stringify(e)),
        payload,
      ),
      qos: fc.constantFrom<0 | 1>(0, 1),
      retain: fc.boolean(),
      dup: fc.boolean(),
      messageId,
    })
    .map((packet) => bytesOf({ packet, protocolVersion: 4 }));
});

const noise = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes));
const mutatedPacket = fc.tuple(packetSpec, mutation).map(([spec, change]) => mutate(bytesOf(spec), change));

/**
 * One connection's bytes, cut into random chunks: a device's CONNECT and well-formed packets
 * (which reach ingest), the same with mutated packets and noise among them, or noise alone.
 */
const connectionStream: fc.Arbitrary<Buffer[]> = fc
  .tuple(
    fc.constantFrom('well-formed', 'well-formed', 'mutated', 'mutated', 'noise'),
    fc.array(fc.oneof(packetSpec.map(bytesOf), ownPublish, ownPublish), { minLength: 1, maxLength: 8 }),
    fc.array(fc.oneof({ weight: 5, arbitrary: mutatedPacket }, { weight: 1, arbitrary: noise }), {
      minLength: 1,
      maxLength: 8,
    }),
    noise,
    fc.array(fc.nat(), { maxLength: 6 }),
    credentials(),
    mutation,
  )
  .map(([mode, wellFormed, mutated, justNoise, cuts, creds, change]) => {
    const connectFirst = generate({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clientId: creds.username,
      username: creds.username,
      password: Buffer.from(creds.password),
      clean: true,
      keepalive: 60,
    });
    const stream =
      mode === 'well-formed'
        ? Buffer.concat([connectFirst, ...wellFormed])
        : mode === 'mutated'
          ? Buffer.concat([mutate(connectFirst, change), ...mutated])
          : justNoise;
    const points = [...new Set(cuts.map((cut) => cut % (stream.length + 1)))].sort((a, b) => a - b);
    return [0, ...points]
      .map((start, i) => stream.subarray(start, points[i] ?? stream.length))
      .filter((chunk) => chunk.length > 0);
  });

// ---------------------------------------------------------------------------------------------
// Connections

/** Writes the chunks to a fresh TCP connection, half-closes it, and resolves once the broker has closed it too. */
function sendOverTcp(chunks: Buffer[]): Promise<void> {
  const port = Number(new URL(ctx.mqtt).port);
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    socket.on('error', () => {}); // the broker may cut us off mid-write; that is allowed
    socket.on('data', () => {});
    socket.once('close', () => resolve());
    socket.once('connect', () => {
      for (const chunk of chunks) if (!socket.destroyed) socket.write(chunk);
      if (!socket.destroyed) socket.end();
    });
  });
}

/** The same over MQTT over WebSocket at /mqtt on the HTTP port: one binary frame per chunk. */
function sendOverWebSocket(chunks: Buffer[]): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${ctx.http.replace('http', 'ws')}/mqtt`, 'mqtt');
    ws.on('error', () => {});
    ws.once('close', () => resolve());
    ws.once('open', () => {
      for (const chunk of chunks) ws.send(chunk);
      ws.close();
    });
  });
}

/**
 * The hub answers, and a device connects and has its event stored. A device that was not in the
 * fuzzing: the fuzzed ones have spent their publish budget (the broker's rate limit, in real time).
 */
async function expectHubStillWorks(eventId: string): Promise<void> {
  expect((await fetch(`${ctx.http}/health`)).status).toBe(200);
  await api('POST', '/api/devices', { id: eventId, homeId: 'h-mqtt', kind: 'motion' });
  const device = await connectTestDevice(
    ctx,
    (await api('POST', `/api/devices/${eventId}/credentials`)).body as typeof sensor,
  );
  await device.publish({ id: eventId, type: 'motion', occupied: true });
  await device.end();
  const from = new Date(ctx.clock.now() - 60_000).toISOString();
  const to = new Date(ctx.clock.now() + 60_000).toISOString();
  const events = await until(
    async () =>
      (
        (await api('GET', `/api/homes/h-mqtt/events?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`))
          .body as { items: { eventId: string }[] }
      ).items,
    (items) => items.some((e) => e.eventId === eventId),
  );
  expect(events.map((e) => e.eventId)).toContain(eventId);
}

describe('the embedded broker under a random MQTT packet stream', () => {
  it('survives mutated and random packets over many TCP connections at once, then stores a well-behaved device’s event', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(connectionStream, { minLength: 1, maxLength: 4 }), async (connections) => {
        await Promise.all(connections.map(sendOverTcp));
      }),
      fuzzParameters(150),
    );
    await expectHubStillWorks('after-tcp-fuzz');
  });

  it('survives the same over MQTT over WebSocket, then stores a well-behaved device’s event', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(connectionStream, { minLength: 1, maxLength: 3 }), async (connections) => {
        await Promise.all(connections.map(sendOverWebSocket));
      }),
      fuzzParameters(40),
    );
    await expectHubStillWorks('after-websocket-fuzz');
  });
});

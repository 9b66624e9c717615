import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { generate, type Packet } from 'mqtt-packet';
import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectTestDevice } from '../hub/src/testing/device-client.js';
import { MQTT_VERSIONS } from '../hub/src/testing/mqtt-versions.js';
import { provisionDevice, startTestHub, staffClient } from '../hub/src/testing/test-hub.js';
import { until } from '../hub/src/testing/until.js';
import { anyJsonText, fuzzParameters, hostileString } from './support/fuzz.js';

/**
 * The embedded broker under a random MQTT packet stream (issue 8): raw bytes, and valid
 * packets from mqtt-packet (CONNECT with right and wrong credentials, PUBLISH to the device's
 * own and to forbidden topics with any payload, SUBSCRIBE, PUBREL, AUTH …) mutated byte by byte,
 * cut at random points, over many connections at once, over TCP and WebSocket, each connection
 * speaking MQTT 3.1.1 or 5 (with v5 properties: topic aliases, session expiry, receive maximum …).
 * The hub must not crash, and afterwards a well-behaved device still connects and its event is stored.
 */

let ctx: Awaited<ReturnType<typeof startTestHub>>;
let api: Awaited<ReturnType<typeof staffClient>>;
let sensor: { username: string; password: string; topicPrefix: string };
let gateway: { username: string; password: string; topicPrefix: string };
/** Devices that check the hub after each fuzzing run, known at the address before any of it. */
const witnesses = new Map<string, Awaited<ReturnType<typeof witness>>>();

beforeAll(async () => {
  // The fuzzed devices connect hundreds of times, all from 127.0.0.1: the per-device CONNECT rate and the
  // per-address socket rate would refuse most of them before their packets reached the broker's handlers
  // (the limits themselves are tested in mqtt-limits.test.ts).
  ctx = await startTestHub({ mqtt: { connectBurstPerDevice: 100_000, connectBurstPerAddress: 1_000_000 } });
  api = await staffClient(ctx.http);
  sensor = await provisionDevice(api, { homeId: 'h-mqtt', deviceId: 'mqtt-speaker', kind: 'speaker' });
  await api('POST', '/api/devices', { id: 'mqtt-gateway', homeId: 'h-mqtt', kind: 'gateway' });
  await api('POST', '/api/devices', { id: 'mqtt-pir', homeId: 'h-mqtt', kind: 'motion', z2mName: 'hall' });
  gateway = (await api('POST', '/api/devices/mqtt-gateway/credentials')).body as typeof gateway;
  for (const { protocolVersion } of MQTT_VERSIONS)
    for (const id of [`after-tcp-fuzz-v${protocolVersion}`, `after-websocket-fuzz-v${protocolVersion}`])
      witnesses.set(id, await witness(id));
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
// Now and then 0, which [MQTT-2.3.1-1] forbids in QoS 1 PUBLISH and (UN)SUBSCRIBE.
const messageId = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 65_535 }) }, fc.constant(0));
type Version = 3 | 4 | 5;

/** MQTT 5 properties of a CONNECT, within and beyond the hub's limits (aedes refuses some combinations itself). */
const connectProperties = fc.record(
  {
    sessionExpiryInterval: fc.oneof(fc.constant(0xffff_ffff), fc.nat()),
    receiveMaximum: fc.integer({ min: 0, max: 65_535 }),
    maximumPacketSize: fc.integer({ min: 1, max: 1_000_000 }),
    topicAliasMaximum: fc.integer({ min: 0, max: 65_535 }),
    requestProblemInformation: fc.boolean(),
    requestResponseInformation: fc.boolean(),
    authenticationMethod: fc.constantFrom('SCRAM-SHA-1', 'x'),
    userProperties: fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
  },
  { requiredKeys: [] },
);
/** MQTT 5 properties of a PUBLISH: topic aliases (an empty topic then means "the alias's topic"), expiry, user properties. */
const publishProperties = fc.record(
  {
    topicAlias: fc.integer({ min: 0, max: 20 }),
    messageExpiryInterval: fc.nat(),
    payloadFormatIndicator: fc.boolean(),
    responseTopic: fc.constantFrom('a/b', '#', 'mimamori/v1/x/+/command'),
    userProperties: fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
  },
  { requiredKeys: [] },
);
/** Properties only where the version has them. */
const propertiesFor = <T>(version: Version, arbitrary: fc.Arbitrary<T>) =>
  version === 5 ? fc.option(arbitrary, { nil: undefined }) : fc.constant(undefined);
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

/**
 * A packet mqtt-packet can write, in the connection's version (now and then another one): mostly
 * well-formed, with the device's real credentials about half the time.
 */
const packetSpec = (version: Version): fc.Arbitrary<{ packet: Packet; protocolVersion: Version }> =>
  fc
    .tuple(credentials(), fc.constantFrom<Version>(version, version, version, version, 3, 4, 5))
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
            properties: propertiesFor(protocolVersion, connectProperties),
          }),
          fc.record({
            cmd: fc.constant('publish' as const),
            topic: topicFor(creds),
            payload,
            qos,
            retain: fc.boolean(),
            dup: fc.boolean(),
            messageId,
            properties: propertiesFor(protocolVersion, publishProperties),
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
const ownPublish = (version: Version) =>
  credentials().chain((creds) => {
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
      .map((packet) => bytesOf({ packet, protocolVersion: version }));
  });

const noise = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes));
const mutatedPacket = (version: Version) =>
  fc.tuple(packetSpec(version), mutation).map(([spec, change]) => mutate(bytesOf(spec), change));

/**
 * One connection's bytes in `version`, cut into random chunks: a device's CONNECT and
 * well-formed packets (which reach ingest), the same with mutated packets and noise among
 * them, or noise alone.
 */
const connectionStream = (version: Version): fc.Arbitrary<Buffer[]> =>
  fc
    .tuple(
      fc.constantFrom('well-formed', 'well-formed', 'mutated', 'mutated', 'noise'),
      fc.array(fc.oneof(packetSpec(version).map(bytesOf), ownPublish(version), ownPublish(version)), {
        minLength: 1,
        maxLength: 8,
      }),
      fc.array(fc.oneof({ weight: 5, arbitrary: mutatedPacket(version) }, { weight: 1, arbitrary: noise }), {
        minLength: 1,
        maxLength: 8,
      }),
      noise,
      fc.array(fc.nat(), { maxLength: 6 }),
      credentials(),
      mutation,
    )
    .map(([mode, wellFormed, mutated, justNoise, cuts, creds, change]) => {
      const connectFirst = generate(
        {
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: version,
          clientId: creds.username,
          username: creds.username,
          password: Buffer.from(creds.password),
          clean: true,
          keepalive: 60,
        },
        { protocolVersion: version },
      );
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
 * A device that stays out of the fuzzing, and connects once before it: the fuzzed ones have
 * spent their publish budget (the broker's rate limit, in real time), and the fuzzing's wrong
 * credentials make the address wait — which never holds back a device known there.
 */
async function witness(id: string) {
  await api('POST', '/api/devices', { id, homeId: 'h-mqtt', kind: 'motion' });
  const creds = (await api('POST', `/api/devices/${id}/credentials`)).body as typeof sensor;
  await (await connectTestDevice(ctx, creds)).end();
  return { id, creds };
}

/** The hub answers, and the witness connects and has its event stored. */
async function expectHubStillWorks({ id, creds }: Awaited<ReturnType<typeof witness>>): Promise<void> {
  expect((await fetch(`${ctx.http}/health`)).status).toBe(200);
  const device = await connectTestDevice(ctx, creds);
  await device.publish({ id, type: 'motion', occupied: true });
  await device.end();
  const from = new Date(ctx.clock.now() - 60_000).toISOString();
  const to = new Date(ctx.clock.now() + 60_000).toISOString();
  const events = await until(
    async () =>
      (
        (await api('GET', `/api/homes/h-mqtt/events?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`))
          .body as { items: { eventId: string }[] }
      ).items,
    (items) => items.some((e) => e.eventId === id),
  );
  expect(events.map((e) => e.eventId)).toContain(id);
}

describe.each(MQTT_VERSIONS)('the embedded broker under a random MQTT packet stream over $label', (version) => {
  const { protocolVersion } = version;
  const tag = `v${protocolVersion}`;

  it('survives mutated and random packets over many TCP connections at once, then stores a well-behaved device’s event', async () => {
    const after = witnesses.get(`after-tcp-fuzz-${tag}`);
    assert(after);
    await fc.assert(
      fc.asyncProperty(
        fc.array(connectionStream(protocolVersion), { minLength: 1, maxLength: 4 }),
        async (connections) => {
          await Promise.all(connections.map(sendOverTcp));
        },
      ),
      fuzzParameters(150),
    );
    await expectHubStillWorks(after);
  });

  it('survives the same over MQTT over WebSocket, then stores a well-behaved device’s event', async () => {
    const after = witnesses.get(`after-websocket-fuzz-${tag}`);
    assert(after);
    await fc.assert(
      fc.asyncProperty(
        fc.array(connectionStream(protocolVersion), { minLength: 1, maxLength: 3 }),
        async (connections) => {
          await Promise.all(connections.map(sendOverWebSocket));
        },
      ),
      fuzzParameters(40),
    );
    await expectHubStillWorks(after);
  });
});

import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  deviceCommand,
  deviceEvent,
  deviceStatus,
  deviceTopic,
  isoTime,
  parseTopic,
  z2mTopicPrefix,
  type DeviceKind,
  type ParsedTopic,
} from '@mimamori/contract';
import { Ingest, MAX_CLOCK_SKEW_MS } from '../hub/src/ingest/index.js';
import { z2mEvent } from '../hub/src/ingest/z2m.js';
import { createMetrics } from '../hub/src/metrics/index.js';
import { EventJournal, openDatabase } from '../hub/src/store/index.js';
import { ManualClock } from '../hub/src/time/index.js';
import { anyJson, anyJsonText, fuzzParameters, hostileJson, hostileNumber, hostileString } from './support/fuzz.js';

/**
 * Property-based fuzzing of every payload decoder (issue 8): the contract's event, status and
 * command schemas, the Zigbee2MQTT mapping and the ingest path from raw bytes. None may throw;
 * a payload is either accepted or rejected, and a rejected one leaves nothing behind.
 */

const NOW = Date.parse('2026-11-23T09:00:00+09:00');
const DEVICE_KINDS: readonly DeviceKind[] = [
  'speaker',
  'motion',
  'door',
  'environment',
  'power',
  'sos_button',
  'gateway',
];

/** Timestamps a device may send: epoch ms or ISO 8601 with an offset, around now and at the edges. */
const timestamp = fc.oneof(
  fc.integer({ min: 0, max: NOW + MAX_CLOCK_SKEW_MS }),
  fc.constantFrom(0, NOW, NOW - 1, NOW + MAX_CLOCK_SKEW_MS),
  fc
    .tuple(
      fc.date({ min: new Date(0), max: new Date(NOW), noInvalidDate: true }),
      fc.integer({ min: -12 * 60, max: 14 * 60 }),
    )
    .map(([date, offsetMinutes]) => isoWithOffset(date.getTime(), offsetMinutes)),
);

function isoWithOffset(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const common = {
  id: fc.string({ minLength: 1, maxLength: 128 }),
  ts: timestamp,
  battery: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
};
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const answer = fc.constantFrom('fine', 'unwell', 'help', 'unknown');
const itemAnswer = fc.constantFrom('ok', 'not_ok');
const entityId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);

/** Events that follow the contract (PROTOCOL.md, Event JSON), one arbitrary per type. */
const validEvent: fc.Arbitrary<Record<string, unknown>> = fc
  .oneof(
    fc.record({
      ...common,
      type: fc.constant('motion'),
      room: opt(fc.string({ maxLength: 64 })),
      occupied: fc.boolean(),
    }),
    fc.record({ ...common, type: fc.constant('door'), name: opt(fc.string({ maxLength: 64 })), open: fc.boolean() }),
    fc.oneof(
      fc.record({
        ...common,
        type: fc.constant('environment'),
        temperatureC: fc.double({ min: -50, max: 80, noNaN: true }),
        humidityPct: opt(fc.double({ min: 0, max: 100, noNaN: true })),
      }),
      fc.record({
        ...common,
        type: fc.constant('environment'),
        humidityPct: fc.double({ min: 0, max: 100, noNaN: true }),
      }),
    ),
    fc.record({ ...common, type: fc.constant('power'), watts: fc.double({ min: 0, max: 100_000, noNaN: true }) }),
    fc.record({
      ...common,
      type: fc.constant('checkin'),
      promptId: opt(fc.string({ minLength: 1, maxLength: 128 })),
      residentId: opt(entityId),
      answer,
      via: fc.constantFrom('voice', 'button'),
      text: opt(fc.string({ maxLength: 1000 })),
      items: opt(
        fc.record(
          { health: itemAnswer, medication: itemAnswer, sleep: itemAnswer, meal: itemAnswer },
          { requiredKeys: [] },
        ),
      ),
    }),
    fc.record({
      ...common,
      type: fc.constant('sos'),
      via: fc.constantFrom('button', 'voice', 'pendant'),
      residentId: opt(entityId),
    }),
    fc.record({ ...common, type: fc.constant('heartbeat') }),
  )
  .map((event) => JSON.parse(JSON.stringify(event)) as Record<string, unknown>);

/** Times at the edges of what ISO 8601 with an offset and epoch milliseconds can say. */
const edgeTimestamp = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('0000', '0001', '1969', '1970', '9999'),
      fc.constantFrom('01-01T00:00:00', '12-31T23:59:59.999'),
      fc.constantFrom('Z', '+09:00', '-23:59', '+2359', '+99:99'),
    )
    .map(([year, rest, offset]) => `${year}-${rest}${offset}`),
  fc.constantFrom(-1, 8_640_000_000_000_000, 8_640_000_000_000_001, 1.5),
);

/** A valid event with one field removed, replaced by anything, or an unknown field added. */
const mutatedEvent: fc.Arbitrary<unknown> = fc
  .tuple(
    validEvent,
    fc.nat(),
    fc.constantFrom('delete', 'replace', 'add'),
    fc.oneof(hostileJson, edgeTimestamp),
    hostileString,
  )
  .map(([event, pick, how, value, key]) => {
    const keys = Object.keys(event);
    const target = keys[pick % keys.length] as string;
    if (how === 'delete') return Object.fromEntries(Object.entries(event).filter(([k]) => k !== target));
    const copy: Record<string, unknown> = { ...event };
    if (how === 'replace') copy[target] = value;
    else Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
    return copy;
  });

const payloadBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ unit: 'binary' }).map((s) => Buffer.from(s, 'utf8')),
  anyJsonText.map((text) => Buffer.from(text)),
  fc.oneof(validEvent, mutatedEvent).map((value) => Buffer.from(JSON.stringify(value))),
  fc
    .oneof(validEvent, mutatedEvent)
    .chain((value) =>
      fc.nat({ max: JSON.stringify(value).length }).map((cut) => Buffer.from(JSON.stringify(value).slice(0, cut))),
    ),
);

/** Runs a decoder and reports whether it threw, so the property states "never throws" plainly. */
function settle<T>(decode: () => T): { threw: unknown } | { value: T } {
  try {
    return { value: decode() };
  } catch (error) {
    return { threw: error };
  }
}

describe('contract payload schemas under arbitrary input', () => {
  it.each([
    ['device event', deviceEvent],
    ['device status', deviceStatus],
    ['device command', deviceCommand],
  ] as const)('the %s schema never throws on any value, only reports a rejection', (_name, schema) => {
    fc.assert(
      fc.property(fc.oneof(anyJson, mutatedEvent, fc.anything()), (value) => {
        const result = settle(() => schema.safeParse(value));
        expect(result).not.toHaveProperty('threw');
      }),
      fuzzParameters(500),
    );
  });

  it('accepts every event that follows the contract', () => {
    fc.assert(
      fc.property(validEvent, (event) => {
        expect(deviceEvent.safeParse(event).success).toBe(true);
      }),
      fuzzParameters(500),
    );
  });

  it('gives every event ingest would accept a time the API can show: ISO 8601 that its own response schema accepts', () => {
    fc.assert(
      fc.property(fc.oneof(validEvent, mutatedEvent), (event) => {
        const parsed = deviceEvent.safeParse(event);
        // Ingest refuses anything further ahead than the allowed clock skew.
        if (!parsed.success || parsed.data.ts > NOW + MAX_CLOCK_SKEW_MS) return;
        expect(isoTime.safeParse(new Date(parsed.data.ts).toISOString()).success).toBe(true);
        // What the journal stores (JSON, where -0 is 0) reads back as the same event.
        const stored = JSON.stringify(parsed.data);
        expect(JSON.stringify(deviceEvent.parse(JSON.parse(stored)))).toBe(stored);
      }),
      fuzzParameters(1000),
    );
  });

  it('reads any topic string without throwing, and only protocol-v1 topics as such', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostileString,
          fc
            .array(
              fc.oneof(
                hostileString,
                fc.constantFrom('mimamori', 'v1', 'z2m', 'event', 'status', 'command', 'home-1', ''),
              ),
              { maxLength: 7 },
            )
            .map((levels) => levels.join('/')),
        ),
        (topic) => {
          const parsed = settle(() => parseTopic(topic));
          expect(parsed).not.toHaveProperty('threw');
          const value = (parsed as { value: ParsedTopic | undefined }).value;
          if (value) expect(topic.startsWith('mimamori/v1/')).toBe(true);
        },
      ),
      fuzzParameters(500),
    );
  });
});

describe('cases the fuzzing found, kept as regressions', () => {
  it.each([
    // Year -1 in UTC: accepted and stored, then GET /api/homes/:id/events answered 500 because
    // the response's `ts` ("-000001-12-31T15:00:00.000Z") is not ISO 8601 the schema accepts.
    ['0000-01-01T00:00:00+09:00'],
    ['0000-01-01T00:00:00Z'],
    ['1969-12-31T23:59:59.999Z'],
  ])('refuses an event stamped %s, before 1970, like a negative epoch', (ts) => {
    expect(deviceEvent.safeParse({ id: 'e1', ts, type: 'heartbeat' }).success).toBe(false);
    expect(deviceStatus.safeParse({ online: true, ts }).success).toBe(false);
  });

  it('still takes the first instant of 1970 and old events of a device that was offline', () => {
    expect(deviceEvent.parse({ id: 'e1', ts: '1970-01-01T09:00:00+09:00', type: 'heartbeat' }).ts).toBe(0);
    expect(deviceEvent.parse({ id: 'e1', ts: '2001-01-01T00:00:00+09:00', type: 'heartbeat' }).ts).toBe(
      Date.parse('2000-12-31T15:00:00Z'),
    );
  });
});

describe('Zigbee2MQTT mapping under arbitrary input', () => {
  /** Zigbee2MQTT-like state: its attribute names with any values, plus anything else. */
  const z2mState = fc.oneof(
    anyJson,
    fc.record(
      {
        occupancy: fc.oneof(fc.boolean(), hostileJson),
        contact: fc.oneof(fc.boolean(), hostileJson),
        temperature: fc.oneof(hostileNumber, hostileJson),
        humidity: fc.oneof(hostileNumber, hostileJson),
        power: fc.oneof(hostileNumber, hostileJson),
        battery: fc.oneof(hostileNumber, hostileJson),
        last_seen: fc.oneof(hostileNumber, hostileString, timestamp, hostileJson),
        linkquality: fc.integer(),
      },
      { requiredKeys: [] },
    ),
  );

  it('never throws; returns an event only for a state object, and that event never throws the contract schema either', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DEVICE_KINDS), z2mState, (kind, state) => {
        const mapped = settle(() => z2mEvent(kind, state, NOW));
        expect(mapped).not.toHaveProperty('threw');
        const event = (mapped as { value: ReturnType<typeof z2mEvent> }).value;
        const isObject = typeof state === 'object' && state !== null && !Array.isArray(state);
        expect(event !== undefined).toBe(isObject);
        if (event) expect(settle(() => deviceEvent.safeParse(event))).not.toHaveProperty('threw');
      }),
      fuzzParameters(1000),
    );
  });

  it('maps every plausible reading of a sensor to an event the contract accepts', () => {
    const plausible = fc.record(
      {
        occupancy: fc.boolean(),
        contact: fc.boolean(),
        temperature: fc.double({ min: -50, max: 80, noNaN: true }),
        humidity: fc.double({ min: 0, max: 100, noNaN: true }),
        power: fc.double({ min: 0, max: 100_000, noNaN: true }),
        battery: fc.oneof(fc.integer({ min: 0, max: 100 }), hostileNumber),
        last_seen: fc.oneof(fc.integer({ min: 0, max: NOW }), timestamp),
        linkquality: fc.integer({ min: 0, max: 255 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.constantFrom(...DEVICE_KINDS), plausible, (kind, state) => {
        const event = z2mEvent(kind, JSON.parse(JSON.stringify(state)), NOW);
        expect(deviceEvent.safeParse(event).success).toBe(true);
      }),
      fuzzParameters(1000),
    );
  });
});

describe('ingest of arbitrary bytes', () => {
  const speaker = { deviceId: 'spk-1', homeId: 'home-1', kind: 'speaker' as const };
  const gateway = { deviceId: 'gw-1', homeId: 'home-1', kind: 'gateway' as const };
  const sensorKinds = new Map<string, DeviceKind>([
    ['hall', 'motion'],
    ['front-door', 'door'],
    ['living-temp', 'environment'],
    ['fridge-plug', 'power'],
  ]);
  const topics: [typeof speaker | typeof gateway, ParsedTopic][] = [
    [speaker, parseTopic(deviceTopic('home-1', 'spk-1', 'event')) as ParsedTopic],
    [speaker, parseTopic(deviceTopic('home-1', 'spk-1', 'status')) as ParsedTopic],
    ...[...sensorKinds.keys(), 'unknown-name'].map((name): [typeof gateway, ParsedTopic] => [
      gateway,
      parseTopic(`${z2mTopicPrefix('home-1')}/${name}`) as ParsedTopic,
    ]),
  ];

  /** An ingest over a real journal in memory that records everything it does besides storing. */
  function recordingIngest() {
    const db = openDatabase(':memory:');
    const sideEffects: string[] = [];
    const ingest = new Ingest({
      journal: new EventJournal(db),
      devices: {
        setOnline: (deviceId, online) => sideEffects.push(`setOnline ${deviceId} ${online}`),
        byZ2mName: (homeId, name) => {
          const kind = sensorKinds.get(name);
          return (
            kind && {
              id: `z2m-${name}`,
              homeId,
              kind,
              name,
              hasCredentials: false,
              online: true,
              lastSeenAt: null,
              battery: null,
              z2mName: name,
              credentialsIssuedAt: null,
              createdAt: new Date(NOW).toISOString(),
            }
          );
        },
      },
      onStored: (event) => sideEffects.push(`onStored ${event.seq}`),
      onStatus: (_homeId, deviceId, online) => sideEffects.push(`onStatus ${deviceId} ${online}`),
      clock: new ManualClock(NOW),
      metrics: createMetrics(),
      logger: pino({ level: 'silent' }),
    });
    const rows = () => (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    return { ingest, rows, sideEffects };
  }

  it('never throws, and a rejected payload stores nothing and tells nobody', async () => {
    const { ingest, rows, sideEffects } = recordingIngest();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...topics), payloadBytes, async ([device, topic], payload) => {
        const rowsBefore = rows();
        const effectsBefore = sideEffects.length;
        const outcome = await ingest.receive(device, topic, payload);
        expect(['stored', 'duplicate', 'rejected', 'ignored']).toContain(outcome);
        if (outcome === 'rejected' || outcome === 'duplicate') {
          expect(rows()).toBe(rowsBefore);
          expect(sideEffects.slice(effectsBefore)).toEqual([]);
        }
        if (outcome === 'stored' && topic.kind !== 'device') expect(rows()).toBe(rowsBefore + 1);
        if (outcome === 'stored' && topic.kind === 'device' && topic.channel === 'event')
          expect(rows()).toBe(rowsBefore + 1);
      }),
      fuzzParameters(1500),
    );
  });

  it('stores every event that follows the contract, once', async () => {
    const { ingest, rows } = recordingIngest();
    const [device, topic] = topics[0] as [typeof speaker, ParsedTopic];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(validEvent, async (event) => {
        const payload = Buffer.from(JSON.stringify({ ...event, id: `e-${++n}` }));
        expect(await ingest.receive(device, topic, payload)).toBe('stored');
        const stored = rows();
        expect(await ingest.receive(device, topic, payload)).toBe('duplicate');
        expect(rows()).toBe(stored);
      }),
      fuzzParameters(300),
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MQTT_VERSIONS, connackRefusal, type MqttVersion } from '../hub/src/testing/mqtt-versions.js';
import { staffClient } from '../hub/src/testing/test-hub.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';
import { connectDevice, eventPayload, publishQos1, storedEventIds, subscribeQos1 } from './support/mqtt-probe.js';

/**
 * The topic policy of PROTOCOL.md (MQTT, Authentication), written down here on its own — not
 * derived from acl.ts — and run against the built hub over real MQTT connections:
 * "A device may publish only under its own mimamori/v1/{homeId}/{deviceId}/… (a gateway device
 * also under mimamori/v1/{homeId}/z2m/#) and subscribe only to its own …/command. Unknown or
 * wrong credentials are refused at CONNECT." docs/protocol.md adds: a device's own topics are
 * `event` and `status` (`command` is the hub's); a refused publish closes the connection
 * [MQTT-3.3.5-2] (MQTT 5: PUBACK 0x87 first); a refused filter gets SUBACK 0x80 (MQTT 5: 0x87);
 * a wildcard in a PUBLISH topic and topics deeper than 8 levels close it. Run over 3.1.1 and 5.
 */
const POLICY = {
  publish: {
    device: ['mimamori/v1/{home}/{self}/event', 'mimamori/v1/{home}/{self}/status'],
    gateway: ['mimamori/v1/{home}/{self}/event', 'mimamori/v1/{home}/{self}/status', 'mimamori/v1/{home}/z2m/#'],
  },
  subscribe: {
    device: ['mimamori/v1/{home}/{self}/command'],
    gateway: ['mimamori/v1/{home}/{self}/command'],
  },
} as const;
const MAX_TOPIC_LEVELS = 8;

type Kind = 'device' | 'gateway';
interface Principal {
  label: string;
  id: string;
  home: string;
  kind: Kind;
  credential: 'valid' | 'revoked' | 'deleted';
}

const PRINCIPALS: Principal[] = [
  { label: 'device', id: 'dev-a', home: 'home-1', kind: 'device', credential: 'valid' },
  { label: 'gateway', id: 'gw-1', home: 'home-1', kind: 'gateway', credential: 'valid' },
  { label: 'gateway of another home', id: 'gw-2', home: 'home-2', kind: 'gateway', credential: 'valid' },
  { label: 'revoked credential', id: 'dev-r', home: 'home-1', kind: 'device', credential: 'revoked' },
  { label: 'deleted device', id: 'dev-x', home: 'home-1', kind: 'device', credential: 'deleted' },
];

const TOPICS = [
  'mimamori/v1/home-1/dev-a/event',
  'mimamori/v1/home-1/dev-a/status',
  'mimamori/v1/home-1/dev-a/command',
  'mimamori/v1/home-1/dev-b/event',
  'mimamori/v1/home-1/dev-b/status',
  'mimamori/v1/home-1/dev-b/command',
  'mimamori/v1/home-1/gw-1/event',
  'mimamori/v1/home-1/gw-1/status',
  'mimamori/v1/home-1/gw-1/command',
  'mimamori/v1/home-2/dev-c/event',
  'mimamori/v1/home-2/dev-c/command',
  'mimamori/v1/home-2/gw-2/event',
  'mimamori/v1/home-2/gw-2/status',
  'mimamori/v1/home-2/gw-2/command',
  'mimamori/v1/home-2/dev-a/event',
  'mimamori/v1/home-1/dev-r/event',
  'mimamori/v1/home-1/dev-x/status',
  'mimamori/v1/home-1/z2m/kitchen',
  'mimamori/v1/home-1/z2m/bridge/state',
  'mimamori/v1/home-1/z2m/kitchen/availability',
  'mimamori/v1/home-2/z2m/hall',
  'mimamori/v1/home-2/z2m/bridge/state',
  '#',
  '+/#',
  'mimamori/#',
  'mimamori/v1/+/dev-a/event',
  'mimamori/v1/home-1/+/event',
  'mimamori/v1/home-1/dev-a/+',
  'mimamori/v1/home-1/dev-a/#',
  'mimamori/v1/home-1/z2m/#',
  'mimamori/v1/+/+/command',
  'mimamori/v1/home-2/+/command',
  '$SYS/broker/uptime',
  '$SYS/#',
  'mimamori/v1/home-1/dev-a/event/extra',
  'mimamori/v1/home-1/z2m/a/b/c/d',
  'mimamori/v1/home-2/z2m/a/b/c/d',
  'mimamori/v1/home-1/z2m/a/b/c/d/e',
  'mimamori/v1/home-1/dev-a/event/1/2/3/4/5/6/7/8/9/10',
  'mimamori/v1/home-1/dev-a',
  'mimamori/v2/home-1/dev-a/event',
  'other/topic',
];

type Operation = 'publish' | 'subscribe';
type Outcome = 'refused at CONNECT' | 'acked' | 'closed' | 'PUBACK 0x87' | 'granted' | 'SUBACK 0x80' | 'SUBACK 0x87';
interface Case {
  principal: Principal;
  topic: string;
  operation: Operation;
  expected: Outcome;
  stores: boolean;
}

const levels = (topic: string) => topic.split('/');
const hasWildcard = (topic: string) => /[+#]/.test(topic);

/** A concrete topic against a template of POLICY: `{…}` filled in, a trailing `#` one or more non-empty levels. */
function matches(template: string, principal: Principal, topic: string): boolean {
  const pattern = levels(template.replace('{home}', principal.home).replace('{self}', principal.id));
  const actual = levels(topic);
  if (pattern.at(-1) === '#') {
    const fixed = pattern.slice(0, -1);
    return (
      actual.length > fixed.length &&
      fixed.every((level, i) => actual[i] === level) &&
      actual.slice(fixed.length).every((l) => l !== '')
    );
  }
  return pattern.length === actual.length && pattern.every((level, i) => actual[i] === level);
}

function expectedOutcome(
  principal: Principal,
  topic: string,
  operation: Operation,
  v5: boolean,
): { expected: Outcome; stores: boolean } {
  if (principal.credential !== 'valid') return { expected: 'refused at CONNECT', stores: false };
  const tooDeep = levels(topic).length > MAX_TOPIC_LEVELS;
  if (operation === 'subscribe') {
    if (tooDeep) return { expected: 'closed', stores: false };
    // Filters are compared as written: a wildcard that would include the own topic is still another filter.
    const own = POLICY.subscribe[principal.kind].some(
      (t) => t.replace('{home}', principal.home).replace('{self}', principal.id) === topic,
    );
    return { expected: own ? 'granted' : v5 ? 'SUBACK 0x87' : 'SUBACK 0x80', stores: false };
  }
  // [MQTT-3.3.2-2]: wildcards are not allowed in a PUBLISH topic; such a packet (and a too deep one) is malformed.
  if (tooDeep || hasWildcard(topic)) return { expected: 'closed', stores: false };
  if (!POLICY.publish[principal.kind].some((t) => matches(t, principal, topic)))
    return { expected: v5 ? 'PUBACK 0x87' : 'closed', stores: false };
  // What becomes a stored event: the device's own event channel, and a gateway's state for a named sensor.
  const stores =
    topic.endsWith('/event') || /^mimamori\/v1\/home-1\/z2m\/kitchen$|^mimamori\/v1\/home-2\/z2m\/hall$/.test(topic);
  return { expected: 'acked', stores };
}

const casesOver = (version: MqttVersion): Case[] =>
  PRINCIPALS.flatMap((principal) =>
    TOPICS.flatMap((topic) =>
      (['publish', 'subscribe'] as const).map((operation) => ({
        principal,
        topic,
        operation,
        ...expectedOutcome(principal, topic, operation, version.protocolVersion === 5),
      })),
    ),
  );

let nonce = 0;
/** A payload each topic's ingest accepts, so that "stored" follows from the ACL alone. */
function payloadFor(topic: string): string {
  nonce += 1;
  if (topic.endsWith('/status')) return JSON.stringify({ online: true, ts: Date.now() });
  // Zigbee2MQTT's last_seen becomes the event time (and id): a distinct one per case.
  if (topic.includes('/z2m/')) return JSON.stringify({ occupancy: true, last_seen: Date.now() - nonce * 1000 });
  return eventPayload(`matrix-${nonce}`);
}

describe.each(MQTT_VERSIONS)(
  `the ACL matrix over $label: ${PRINCIPALS.length} principals × ${TOPICS.length} topics × publish, subscribe`,
  (version) => {
    const CASES = casesOver(version);
    let hub: HubProcess;
    let api: Awaited<ReturnType<typeof staffClient>>;
    const secrets = new Map<string, string>();
    let storedSoFar = 0;
    const storedNow = async () =>
      (await storedEventIds(api, 'home-1')).length + (await storedEventIds(api, 'home-2')).length;

    beforeAll(async () => {
      hub = await startHubProcess({
        // Every case is a fresh connection of one of five credentials, two of them refused: the per-device
        // CONNECT rate and the back-off of failing addresses (mqtt-limits.test.ts) are not what is tested here.
        MIMAMORI_MQTT_CONNECT_BURST_PER_DEVICE: '1000',
        MIMAMORI_MQTT_FAILED_CONNECTS_BEFORE_BACKOFF: '1000',
      });
      api = await staffClient(hub.http);
      for (const home of ['home-1', 'home-2']) await api('POST', '/api/homes', { id: home, name: `${home} 宅` });
      const devices = [
        { id: 'dev-a', homeId: 'home-1', kind: 'sos_button' },
        { id: 'dev-b', homeId: 'home-1', kind: 'motion' },
        { id: 'gw-1', homeId: 'home-1', kind: 'gateway' },
        { id: 'dev-r', homeId: 'home-1', kind: 'door' },
        { id: 'dev-x', homeId: 'home-1', kind: 'door' },
        { id: 'kitchen-pir', homeId: 'home-1', kind: 'motion', z2mName: 'kitchen' },
        { id: 'dev-c', homeId: 'home-2', kind: 'sos_button' },
        { id: 'gw-2', homeId: 'home-2', kind: 'gateway' },
        { id: 'hall-pir', homeId: 'home-2', kind: 'motion', z2mName: 'hall' },
      ];
      for (const device of devices) {
        expect((await api('POST', '/api/devices', device)).status).toBe(201);
        secrets.set(
          device.id,
          ((await api('POST', `/api/devices/${device.id}/credentials`)).body as { password: string }).password,
        );
      }
      // dev-r keeps the secret it had before a new one was issued; dev-x's device is gone.
      expect((await api('POST', '/api/devices/dev-r/credentials')).status).toBe(201);
      expect((await api('DELETE', '/api/devices/dev-x')).status).toBe(204);
    });
    afterAll(async () => {
      await hub?.stop();
    });

    it('has at least 300 cases, each outcome represented', () => {
      expect(CASES.length).toBeGreaterThanOrEqual(300);
      expect(new Set(CASES.map((c) => c.expected))).toEqual(
        new Set(
          version.protocolVersion === 5
            ? ['refused at CONNECT', 'acked', 'closed', 'PUBACK 0x87', 'granted', 'SUBACK 0x87']
            : ['refused at CONNECT', 'acked', 'closed', 'granted', 'SUBACK 0x80'],
        ),
      );
      expect(CASES.filter((c) => c.stores).length).toBeGreaterThan(0);
    });

    it.each(
      CASES.map(
        (c) =>
          [`${c.principal.label} ${c.operation} ${c.topic} → ${c.expected}${c.stores ? ', stored' : ''}`, c] as const,
      ),
    )('%s', async (_name, c) => {
      const { principal, topic, operation } = c;
      const { code, client } = await connectDevice(`mqtt://127.0.0.1:${hub.mqttPort}`, {
        username: principal.id,
        password: secrets.get(principal.id) ?? '',
        clientId: principal.id,
        protocolVersion: version.protocolVersion,
      });
      try {
        let outcome: Outcome | number;
        if (code !== 0) outcome = code === connackRefusal(version, 'badCredentials') ? 'refused at CONNECT' : 'closed';
        else if (operation === 'publish') {
          const published = await publishQos1(client, topic, payloadFor(topic));
          outcome = published === 0x87 ? 'PUBACK 0x87' : published;
        } else {
          const granted = await subscribeQos1(client, topic);
          outcome =
            granted === 128 ? 'SUBACK 0x80' : granted === 0x87 ? 'SUBACK 0x87' : granted === 1 ? 'granted' : granted;
        }
        expect(outcome).toBe(c.expected);
        // A PUBACK means stored [durability]; a refusal means nothing reached ingest.
        if (c.stores) storedSoFar += 1;
        expect(await storedNow()).toBe(storedSoFar);
      } finally {
        await client.endAsync(true);
      }
    });
  },
);

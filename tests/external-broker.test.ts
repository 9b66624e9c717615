import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, DeviceCommand } from '@mimamori/contract';
import { provisionDevice, staffClient } from '../hub/src/testing/test-hub.js';
import { until } from '../hub/src/testing/until.js';
import { freePort } from './support/free-port.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';
import { startMosquitto, type Mosquitto } from './support/mosquitto.js';
import { requireTool } from './support/require-tool.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../hub/dist/main.js', import.meta.url));
type Api = Awaited<ReturnType<typeof staffClient>>;
type Credentials = { username: string; password: string; topicPrefix: string };

/** One hub's side of the shared broker: its data dir, its broker account, its environment. */
function hubAccount(name: string, port: number) {
  const dataDir = mkdtempSync(join(tmpdir(), `mimamori-${name}-`));
  const env = {
    MIMAMORI_MQTT_EXTERNAL_URL: `mqtt://127.0.0.1:${port}`,
    MIMAMORI_MQTT_EXTERNAL_USERNAME: name,
    MIMAMORI_MQTT_EXTERNAL_PASSWORD: `${name}-broker-password`,
    MIMAMORI_MQTT_EXTERNAL_CLIENT_ID: name,
  };
  return { name, dataDir, env };
}
type HubAccount = ReturnType<typeof hubAccount>;

/**
 * Writes the broker's files from every hub's registry (`mimamori-hub mosquitto-config` per hub,
 * password files and ACLs concatenated, as docs/scaling.md tells operators to) and reloads it.
 */
async function configureBroker(
  dir: string,
  port: number,
  hubs: readonly HubAccount[],
  broker?: Mosquitto,
): Promise<string> {
  const passwd: string[] = [];
  const acl: string[] = [];
  for (const hub of hubs) {
    const out = join(dir, hub.name);
    await run(process.execPath, [MAIN, 'mosquitto-config', out, String(port)], {
      env: { PATH: process.env.PATH ?? '', MIMAMORI_DATA_DIR: hub.dataDir, MIMAMORI_MODE: 'demo', ...hub.env },
    });
    passwd.push(readFileSync(join(out, 'passwd'), 'utf8'));
    acl.push(readFileSync(join(out, 'acl'), 'utf8'));
  }
  writeFileSync(join(dir, 'passwd'), passwd.join(''), { mode: 0o600 });
  writeFileSync(join(dir, 'acl'), acl.join('\n'));
  // The first hub's mimamori.conf, pointed at the merged files.
  const conf = readFileSync(join(dir, hubs[0]?.name ?? '', 'mimamori.conf'), 'utf8').replaceAll(
    `${join(dir, hubs[0]?.name ?? '')}/`,
    `${dir}/`,
  );
  // Tests run as root, and mosquitto run as root would otherwise switch to its own user, which cannot read a temp dir.
  const user = process.getuid?.() === 0 ? 'user root\n' : '';
  writeFileSync(join(dir, 'mosquitto.conf'), `${conf}${user}log_dest stderr\nlog_type error\nlog_type warning\n`);
  broker?.reload();
  return join(dir, 'mosquitto.conf');
}

/** A device on the shared broker with a persistent session (3.1.1 unless told 5), collecting the commands it receives. */
async function connectDevice(port: number, creds: Credentials, protocolVersion: 4 | 5 = 4) {
  const client: MqttClient = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    username: creds.username,
    password: creds.password,
    clientId: creds.username,
    clean: false,
    reconnectPeriod: 0,
    protocolVersion,
    // MQTT 5: a session outlives its connection only with an expiry.
    ...(protocolVersion === 5 ? { properties: { sessionExpiryInterval: 3600 } } : {}),
  });
  const commands: DeviceCommand[] = [];
  client.on('message', (_topic, payload) => commands.push(JSON.parse(payload.toString()) as DeviceCommand));
  await client.subscribeAsync(`${creds.topicPrefix}/command`, { qos: 1 });
  return {
    client,
    commands,
    publish: (topic: string, event: object) => client.publishAsync(topic, JSON.stringify(event), { qos: 1 }),
  };
}

const sos = (id: string) => ({ id, ts: Date.now(), type: 'sos', via: 'button' });
const alertsOf = async (api: Api) => ((await api('GET', '/api/alerts')).body as { items: Alert[] }).items;
/** The ids of a home's stored events of the last day. */
async function eventIds(api: Api, homeId: string): Promise<string[]> {
  const day = 86_400_000;
  const range = `from=${new Date(Date.now() - day).toISOString()}&to=${new Date(Date.now() + day).toISOString()}`;
  return ((await api('GET', `/api/homes/${homeId}/events?${range}`)).body as { items: { eventId: string }[] }).items
    .map((e) => e.eventId)
    .sort();
}

describe.runIf(requireTool('mosquitto', 'mosquitto'))('external broker mode: hubs join one Mosquitto', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mimamori-mosquitto-'));
  let port: number;
  let broker: Mosquitto;
  let east: HubAccount;
  let west: HubAccount;
  let hubEast: HubProcess;
  let hubWest: HubProcess;
  let apiEast: Api;
  let apiWest: Api;
  let eastCreds: { sos: Credentials; speaker: Credentials };
  let westCreds: Credentials;

  beforeAll(async () => {
    port = await freePort();
    east = hubAccount('hub-east', port);
    west = hubAccount('hub-west', port);
    broker = await startMosquitto(await configureBroker(dir, port, [east, west]), port);
    [hubEast, hubWest] = await Promise.all([
      startHubProcess(east.env, east.dataDir),
      startHubProcess(west.env, west.dataDir),
    ]);
    [apiEast, apiWest] = await Promise.all([staffClient(hubEast.http), staffClient(hubWest.http)]);

    // Disjoint homes: each hub registers its own district's.
    eastCreds = {
      sos: await provisionDevice(apiEast, { homeId: 'east-001', deviceId: 'east-001-sos' }),
      speaker: await (async () => {
        await apiEast('POST', '/api/devices', { id: 'east-001-speaker', homeId: 'east-001', kind: 'speaker' });
        return (await apiEast('POST', '/api/devices/east-001-speaker/credentials')).body as Credentials;
      })(),
    };
    westCreds = await provisionDevice(apiWest, { homeId: 'west-001', deviceId: 'west-001-sos' });
    await configureBroker(dir, port, [east, west], broker);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([hubEast?.stop(), hubWest?.stop()]);
    await broker?.stop();
  });

  it('takes an MQTT 5 device’s SOS from the broker, answers a 3.1.1 speaker through it, and refuses another home’s topic that the ACL lets through', async () => {
    const button = await connectDevice(port, eastCreds.sos, 5);
    const speaker = await connectDevice(port, eastCreds.speaker, 4);
    await button.publish(`${eastCreds.sos.topicPrefix}/event`, sos('e-sos-1'));
    const [alert] = await until(
      () => alertsOf(apiEast),
      (items) => items.length === 1,
    );
    expect(alert).toMatchObject({ homeId: 'east-001', rule: 'sos', severity: 'critical' });

    // A claim is announced on the resident's speaker: a command through the broker.
    const volunteer = (
      await apiEast('POST', '/api/users', {
        username: 'tanaka',
        displayName: '田中 一郎',
        role: 'volunteer',
        password: 'tanaka-password-1',
        affiliation: '民生委員',
      })
    ).body as { id: string };
    await apiEast('PUT', '/api/homes/east-001/network', {
      tiers: [{ name: '近隣', watchers: [volunteer.id], ackTimeoutMinutes: 15 }],
      announceOnAck: true,
      reason: 'test',
    });
    const tanaka = await staffClient(hubEast.http, { username: 'tanaka', password: 'tanaka-password-1' });
    expect((await tanaka('POST', `/api/alerts/${alert?.id}/ack`)).status).toBe(200);
    const commands = await until(
      () => speaker.commands,
      (c) => c.some((command) => command.type === 'announce'),
    );
    expect(commands).toContainEqual(
      expect.objectContaining({
        type: 'announce',
        text: '民生委員の田中 一郎さんが向かっています。もう少しお待ちください。',
      }),
    );

    // The broker refuses another device's topic (Mosquitto drops the message; an MQTT 5 device is told
    // with PUBACK 0x87); the hub refuses another home's, which a %u pattern cannot tell apart.
    const forgeries = [`${eastCreds.speaker.topicPrefix}/event`, 'mimamori/v1/west-001/east-001-sos/event'];
    for (const protocolVersion of [4, 5] as const) {
      for (const [n, topic] of forgeries.entries()) {
        const forger = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
          username: eastCreds.sos.username,
          password: eastCreds.sos.password,
          clientId: `east-001-sos:forger-${protocolVersion}-${n}`,
          reconnectPeriod: 0,
          protocolVersion,
        });
        const published = forger.publishAsync(topic, JSON.stringify(sos(`e-forged-${protocolVersion}-${n}`)), {
          qos: 1,
        });
        if (protocolVersion === 5 && n === 0) await expect(published).rejects.toMatchObject({ code: 0x87 });
        else await published;
        await forger.endAsync(true);
      }
    }
    await button.publish(`${eastCreds.sos.topicPrefix}/event`, {
      id: 'e-motion-1',
      ts: Date.now(),
      type: 'motion',
      occupied: true,
      room: 'living',
    });
    expect(
      await until(
        () => eventIds(apiEast, 'east-001'),
        (ids) => ids.length === 2,
      ),
    ).toEqual(['e-motion-1', 'e-sos-1']);
    // One forgery per protocol version reached hub-west.
    expect(
      await until(
        async () => (await fetch(`${hubWest.http}/metrics`)).text(),
        (text) => text.includes('reason="publish_denied"} 2'),
      ),
    ).toMatch(/mimamori_mqtt_messages_rejected_total\{reason="publish_denied"\} 2/);

    // Mosquitto 2.0.11 answers a wrong password with 3.1.1 code 5 / MQTT 5 0x87 "not authorised" (docs/protocol.md).
    for (const [protocolVersion, code] of [
      [4, 5],
      [5, 0x87],
    ] as const) {
      await expect(
        mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
          username: eastCreds.sos.username,
          password: 'wrong',
          clientId: 'east-001-sos:probe',
          reconnectPeriod: 0,
          protocolVersion,
        }),
      ).rejects.toMatchObject({ code });
    }
    await Promise.all([button.client.endAsync(), speaker.client.endAsync()]);
  });

  it('keeps what devices send while the hub is down, and delivers it after the restart from the hub’s persistent session', async () => {
    await hubWest.stop();
    const button = await connectDevice(port, westCreds);
    await button.publish(`${westCreds.topicPrefix}/event`, sos('w-sos-while-down'));
    await button.client.endAsync();

    hubWest = await startHubProcess(west.env, west.dataDir);
    apiWest = await staffClient(hubWest.http);
    const [alert] = await until(
      () => alertsOf(apiWest),
      (items) => items.length === 1,
      15_000,
    );
    expect(alert).toMatchObject({ homeId: 'west-001', rule: 'sos' });
  });

  it('gives each hub only its own homes’ messages', async () => {
    const east = await connectDevice(port, eastCreds.sos, 5);
    const west = await connectDevice(port, westCreds, 4);
    await east.publish(`${eastCreds.sos.topicPrefix}/event`, {
      id: 'e-motion-2',
      ts: Date.now(),
      type: 'motion',
      occupied: true,
      room: 'living',
    });
    await west.publish(`${westCreds.topicPrefix}/event`, {
      id: 'w-motion-1',
      ts: Date.now(),
      type: 'motion',
      occupied: true,
      room: 'living',
    });
    await Promise.all([east.client.endAsync(), west.client.endAsync()]);

    expect(
      await until(
        () => eventIds(apiEast, 'east-001'),
        (ids) => ids.length === 3,
      ),
    ).toEqual(['e-motion-1', 'e-motion-2', 'e-sos-1']);
    expect(
      await until(
        () => eventIds(apiWest, 'west-001'),
        (ids) => ids.length === 2,
      ),
    ).toEqual(['w-motion-1', 'w-sos-while-down']);
    expect((await apiEast('GET', '/api/homes/west-001')).status).toBe(404);
    expect((await apiWest('GET', '/api/homes/east-001')).status).toBe(404);
    // A hub that received another hub's message would refuse it (unknown device) and count it: neither did.
    for (const hub of [hubEast, hubWest]) {
      expect(await (await fetch(`${hub.http}/metrics`)).text()).not.toMatch(/reason="publish_denied"\} [1-9]/);
    }
  });
});

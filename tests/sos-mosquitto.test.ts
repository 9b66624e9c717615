import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MQTT_VERSIONS } from '../hub/src/testing/mqtt-versions.js';
import { provisionDevice, staffClient } from '../hub/src/testing/test-hub.js';
import { signWebhook } from '../hub/src/notify/index.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';
import { requireTool } from './support/require-tool.js';

const run = promisify(execFile);
const SECRET = 'cross-component-webhook-secret';
const haveMosquitto = requireTool('mosquitto_pub', 'mosquitto-clients');

/** mosquitto_pub's name for each protocol version (`-V`). */
const MOSQUITTO_VERSION = { 4: 'mqttv311', 5: 'mqttv5' } as const;

describe.runIf(haveMosquitto).each(MQTT_VERSIONS)(
  'SOS from mosquitto_pub ($label) through the built hub',
  (version) => {
    /** Runs Debian's mosquitto_pub, a third-party MQTT client, and returns its exit code and what it printed. */
    async function mosquittoPub(port: number, args: string[]): Promise<{ code: number; output: string }> {
      const common = [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-q',
        '1',
        '-d',
        '-V',
        MOSQUITTO_VERSION[version.protocolVersion],
      ];
      try {
        const { stdout, stderr } = await run('mosquitto_pub', [...common, ...args], { timeout: 10_000 });
        return { code: 0, output: stdout + stderr };
      } catch (error) {
        const { code, stdout = '', stderr = '' } = error as { code?: number; stdout?: string; stderr?: string };
        return { code: code ?? -1, output: stdout + stderr };
      }
    }

    let hub: HubProcess;
    const deliveries: { signature: string; timestamp: number; body: string }[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        deliveries.push({
          signature: String(request.headers['x-mimamori-signature']),
          timestamp: Number(request.headers['x-mimamori-timestamp']),
          body,
        });
        response.end();
      });
    });

    beforeAll(async () => {
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      hub = await startHubProcess({ MIMAMORI_WEBHOOK_URL: url, MIMAMORI_WEBHOOK_SECRET: SECRET });
    });

    afterAll(async () => {
      await hub?.stop();
      await new Promise((resolve) => receiver.close(resolve));
    });

    it('raises an alert and delivers a signed webhook; refuses wrong credentials, other homes and bad payloads', async () => {
      const api = await staffClient(hub.http);
      const { username, password, topicPrefix } = await provisionDevice(api, { homeId: 'home-1', deviceId: 'btn-1' });
      await api('POST', '/api/homes', { id: 'home-2', name: '隣の家' });
      const as = ['-i', username, '-u', username, '-P', password];
      const v5 = version.protocolVersion === 5;

      const wrong = await mosquittoPub(hub.mqttPort, [
        ...as.slice(0, 5),
        'wrong',
        '-t',
        `${topicPrefix}/event`,
        '-m',
        '{}',
      ]);
      expect(wrong.code).not.toBe(0);
      // 3.1.1 return code 4, v5 reason code 0x86 (134): bad user name or password.
      expect(wrong.output).toContain(`received CONNACK (${v5 ? 134 : 4})`);

      const otherHome = await mosquittoPub(hub.mqttPort, [
        ...as,
        '-t',
        'mimamori/v1/home-2/btn-1/event',
        '-m',
        JSON.stringify({ id: 'x1', ts: Date.now(), type: 'sos', via: 'button' }),
      ]);
      // 3.1.1: closed without PUBACK; v5: PUBACK 0x87 (135) Not authorized, then DISCONNECT.
      if (v5) expect(otherHome.output).toContain('RC:135');
      else expect(otherHome.code).not.toBe(0);
      expect(otherHome.output).not.toMatch(/received PUBACK \(Mid: \d+, RC:0\)|received PUBACK \(Mid: \d+\)$/m);

      expect(
        (await mosquittoPub(hub.mqttPort, [...as, '-t', `${topicPrefix}/event`, '-m', '{"type":"sos"}'])).code,
      ).toBe(0);
      expect((await api('GET', '/api/alerts')).body).toEqual({ items: [] });

      const sos = JSON.stringify({ id: 'sos-1', ts: new Date().toISOString(), type: 'sos', via: 'button' });
      expect((await mosquittoPub(hub.mqttPort, [...as, '-t', `${topicPrefix}/event`, '-m', sos])).code).toBe(0);

      expect((await api('GET', '/api/alerts')).body).toMatchObject({
        items: [{ homeId: 'home-1', rule: 'sos', severity: 'critical' }],
      });
      const deadline = Date.now() + 10_000;
      while (deliveries.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const [delivery] = deliveries;
      expect(delivery?.signature).toBe(signWebhook(SECRET, delivery?.timestamp ?? 0, delivery?.body ?? ''));

      const metrics = await (await fetch(`${hub.http}/metrics`)).text();
      expect(metrics).toMatch(/mimamori_mqtt_messages_rejected_total\{reason="publish_denied"\} 1/);
      expect(metrics).toMatch(/mimamori_mqtt_messages_rejected_total\{reason="invalid_payload"\} 1/);
      expect(metrics).toMatch(/mimamori_mqtt_connections_refused_total\{reason="bad_credentials"\} 1/);
    });
  },
);

import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionDevice, staffClient } from '../hub/src/testing/test-hub.js';
import { signWebhook } from '../hub/src/notify/index.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';
import { requireTool } from './support/require-tool.js';

const run = promisify(execFile);
const SECRET = 'cross-component-webhook-secret';
const haveMosquitto = requireTool('mosquitto_pub', 'mosquitto-clients');

/** Runs Debian's mosquitto_pub, a third-party MQTT client, and returns its exit code. */
async function mosquittoPub(port: number, args: string[]): Promise<number> {
  try {
    await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-q', '1', ...args], { timeout: 10_000 });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

describe.runIf(haveMosquitto)('SOS from mosquitto_pub through the built hub', () => {
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

    expect(
      await mosquittoPub(hub.mqttPort, [
        '-i',
        username,
        '-u',
        username,
        '-P',
        'wrong',
        '-t',
        `${topicPrefix}/event`,
        '-m',
        '{}',
      ]),
    ).not.toBe(0);
    expect(
      await mosquittoPub(hub.mqttPort, [
        ...as,
        '-t',
        'mimamori/v1/home-2/btn-1/event',
        '-m',
        JSON.stringify({ id: 'x1', ts: Date.now(), type: 'sos', via: 'button' }),
      ]),
    ).not.toBe(0);
    expect(await mosquittoPub(hub.mqttPort, [...as, '-t', `${topicPrefix}/event`, '-m', '{"type":"sos"}'])).toBe(0);
    expect((await api('GET', '/api/alerts')).body).toEqual({ items: [] });

    const sos = JSON.stringify({ id: 'sos-1', ts: new Date().toISOString(), type: 'sos', via: 'button' });
    expect(await mosquittoPub(hub.mqttPort, [...as, '-t', `${topicPrefix}/event`, '-m', sos])).toBe(0);

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
});

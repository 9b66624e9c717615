import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionDevice, staffClient } from '../hub/src/testing/test-hub.js';
import { selfSignedCertificate } from '../hub/src/testing/tls.js';
import { until } from '../hub/src/testing/until.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';
import { requireTool } from './support/require-tool.js';

/** Whether a TLS handshake with the hub's MQTT port succeeds when the client allows only these versions. */
function handshake(
  port: number,
  ca: string,
  versions: { minVersion: 'TLSv1' | 'TLSv1.2'; maxVersion: 'TLSv1.1' | 'TLSv1.2' },
): Promise<string> {
  return new Promise((resolve) => {
    // SECLEVEL=0 lets the client offer TLS 1.0/1.1 at all, so a refusal is the server's.
    const socket = connect({ host: '127.0.0.1', port, ca, ciphers: 'DEFAULT@SECLEVEL=0', ...versions }, () => {
      resolve(`ok ${socket.getProtocol()}`);
      socket.end();
    });
    socket.once('error', (error) => resolve(`refused ${(error as NodeJS.ErrnoException).code ?? error.message}`));
  });
}

describe.runIf(requireTool('openssl', 'openssl'))('TLS: mqtts and HTTPS with certificate files', () => {
  let hub: HubProcess;
  const { cert, key } = selfSignedCertificate();

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mimamori-tls-files-'));
    writeFileSync(join(dir, 'cert.pem'), cert);
    writeFileSync(join(dir, 'key.pem'), key, { mode: 0o600 });
    hub = await startHubProcess({
      MIMAMORI_TLS_CERT_FILE: join(dir, 'cert.pem'),
      MIMAMORI_TLS_KEY_FILE: join(dir, 'key.pem'),
    });
    // This test's own fetch trusts the throwaway certificate (vitest runs each file in its own worker).
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('serves HTTPS with a __Host- Secure session cookie and HSTS', async () => {
    expect(hub.http).toMatch(/^https:/);
    const login = await fetch(`${hub.http}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'staff', password: 'mimamori-demo-staff' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^__Host-mimamori_session=/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; Path=\//);
    expect(login.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it('takes a device’s SOS over mqtts, and speaks TLS 1.2 or newer only', async () => {
    const api = await staffClient(hub.http);
    const creds = await provisionDevice(api, { homeId: 'tls-home', deviceId: 'tls-sos' });
    const device = await mqtt.connectAsync(`mqtts://127.0.0.1:${hub.mqttPort}`, {
      ca: cert,
      username: creds.username,
      password: creds.password,
      clientId: creds.username,
      reconnectPeriod: 0,
    });
    await device.publishAsync(
      `${creds.topicPrefix}/event`,
      JSON.stringify({ id: 'sos-tls', ts: Date.now(), type: 'sos', via: 'button' }),
      { qos: 1 },
    );
    await device.endAsync();
    const alerts = await until(
      async () => ((await api('GET', '/api/alerts')).body as { items: { homeId: string }[] }).items,
      (items) => items.length === 1,
    );
    expect(alerts).toEqual([expect.objectContaining({ homeId: 'tls-home' })]);

    expect(await handshake(hub.mqttPort, cert, { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })).toBe('ok TLSv1.2');
    expect(await handshake(hub.mqttPort, cert, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1' })).toMatch(/^refused/);
  });
});

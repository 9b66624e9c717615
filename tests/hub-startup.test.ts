import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHubUntilExit, startHubProcess } from './support/hub-process.js';
import { requireRoot } from './support/require-tool.js';

/**
 * How the built hub refuses to start when a setting is wrong (issue 20, docs/configuration.md):
 * exit code 78 and a message naming the setting and its environment variable, never a stack
 * trace. An operator reads this message once, at deploy time.
 */
const production = { MIMAMORI_MODE: 'production', MIMAMORI_ADMIN_USERNAME: 'operator' };

function expectRefusal(result: { code: number | null; output: string }, setting: RegExp) {
  expect(result.output).toMatch(/The hub cannot start: its configuration is wrong/);
  expect(result.output).toMatch(setting);
  expect(result.output).not.toMatch(/\n\s+at /); // no stack trace
  expect(result.code).toBe(78);
}

describe('the hub refuses to start on a wrong setting', () => {
  let occupied: Server;
  let occupiedPort: number;
  beforeAll(async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    occupiedPort = (occupied.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => occupied.close(() => resolve())));

  it('refuses the README’s demo admin password in production', async () => {
    const result = await runHubUntilExit({ ...production, MIMAMORI_ADMIN_PASSWORD: 'mimamori-demo-admin' });
    expectRefusal(result, /admin\.password \(from MIMAMORI_ADMIN_PASSWORD="…"\): is one of the demo passwords/);
    expect(result.output).not.toContain('mimamori-demo-admin');
  });

  it('refuses the placeholder docs/operations.md once showed', async () => {
    const result = await runHubUntilExit({ ...production, MIMAMORI_ADMIN_PASSWORD: '<12+ characters>' });
    expectRefusal(result, /admin\.password .*looks like a placeholder/);
  });

  it('names http.port when the HTTP port is taken', async () => {
    const result = await runHubUntilExit({ MIMAMORI_HTTP_PORT: String(occupiedPort) });
    expectRefusal(
      result,
      new RegExp(`http\\.port \\(MIMAMORI_HTTP_PORT\\): port ${occupiedPort} on 127\\.0\\.0\\.1 is already in use`),
    );
  });

  it('names mqtt.port when the MQTT port is taken', async () => {
    const result = await runHubUntilExit({ MIMAMORI_MQTT_PORT: String(occupiedPort) });
    expectRefusal(
      result,
      new RegExp(`mqtt\\.port \\(MIMAMORI_MQTT_PORT\\): port ${occupiedPort} on 127\\.0\\.0\\.1 is already in use`),
    );
  });

  it('names tls.certFile when the certificate file does not exist', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'mimamori-tls-')), 'fullchain.pem');
    writeFileSync(`${missing}.key`, 'not used');
    const result = await runHubUntilExit({ MIMAMORI_TLS_CERT_FILE: missing, MIMAMORI_TLS_KEY_FILE: `${missing}.key` });
    rmSync(dirname(missing), { recursive: true, force: true });
    expectRefusal(
      result,
      new RegExp(`tls\\.certFile \\(MIMAMORI_TLS_CERT_FILE\\): cannot read ${missing} \\(ENOENT\\)`),
    );
  });

  it('refuses a demo hub on a network address: its logins are published', async () => {
    const result = await runHubUntilExit({ MIMAMORI_HTTP_HOST: '0.0.0.0' });
    expectRefusal(
      result,
      /http\.host \(from MIMAMORI_HTTP_HOST="0\.0\.0\.0"\): a demo hub must listen on 127\.0\.0\.1 only/,
    );
  });

  // Root ignores file permissions, so the hub runs as another user here (as the image's USER does).
  it.runIf(requireRoot('running the hub as another user'))(
    'names dataDir when the hub’s user cannot write it',
    async () => {
      const parent = mkdtempSync(join(tmpdir(), 'mimamori-volume-'));
      const dataDir = join(parent, 'data');
      mkdirSync(dataDir, { mode: 0o755 }); // root's, as a fresh named volume is
      chmodSync(parent, 0o755);
      const result = await runHubUntilExit({}, { dataDir, uid: 65534, gid: 65534 });
      rmSync(parent, { recursive: true, force: true });
      expectRefusal(result, /dataDir \(MIMAMORI_DATA_DIR\): .* cannot be written by the hub's user \(uid 65534\)/);
    },
  );
});

describe('a demo hub allowed onto the network', () => {
  it('starts, and says loudly above its banner that its logins face the network', async () => {
    const hub = await startHubProcess({ MIMAMORI_HTTP_HOST: '0.0.0.0', MIMAMORI_DEMO_ON_NETWORK: 'true' });
    try {
      expect(hub.output()).toMatch(/WARNING: this DEMO hub listens on the network[^]*demo login: admin/);
    } finally {
      await hub.stop();
    }
  });
});

describe('what the hub prints once it listens', () => {
  it('gives people the dashboard’s address, and programs one ready line with the same ports', async () => {
    const hub = await startHubProcess();
    try {
      const dashboard = /Dashboard: +(http:\/\/127\.0\.0\.1:\d+\/) /.exec(hub.output())?.[1];
      expect(dashboard).toBe(`${hub.http}/`);
      const page = await fetch(dashboard ?? '');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(hub.output()).not.toMatch(/\/api +\(/); // the old banner's address, a 404
      const mqtt = /MQTT: +mqtt:\/\/127\.0\.0\.1:(\d+) /.exec(hub.output())?.[1];
      expect(Number(mqtt)).toBe(hub.mqttPort);
    } finally {
      await hub.stop();
    }
  });
});

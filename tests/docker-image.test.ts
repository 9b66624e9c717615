import { execFile } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { buildImageRootfs, freshNamedVolume, runContainer, type ImageRootfs } from './support/docker-image.js';
import { startInfluxd, type Influxd } from './support/influxd.js';
import { freePort } from './support/free-port.js';
import { requireRoot, requireTool } from './support/require-tool.js';

const execute = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const STRONG = 'k8Vq2-river-lantern-07';

/** The hub service's environment as `docker-compose config` resolves it with these .env values. */
async function composeEnvironment(dotEnv: Record<string, string>): Promise<Record<string, string>> {
  const { stdout } = await execute('docker-compose', ['config'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...dotEnv },
  });
  const compose = z
    .object({ services: z.object({ hub: z.object({ environment: z.record(z.string(), z.string()) }) }) })
    .parse(parse(stdout));
  return compose.services.hub.environment;
}

const canRun =
  requireTool('debootstrap', 'debootstrap') &&
  requireTool('docker-compose', 'docker-compose') &&
  requireTool('influxd', 'influxdb') &&
  requireTool('unshare', 'util-linux') &&
  requireRoot('the image check (debootstrap, chroot, mount)');

/**
 * The Docker image as a deployment runs it, without a Docker engine (docs/decisions.md says what
 * this covers and what it does not): the Dockerfile's final stage applied to a Debian rootfs,
 * the hub started with docker-compose.yml's environment as the image's user, with a fresh named
 * volume at its data directory and InfluxDB where compose puts it.
 */
describe.runIf(canRun)('the Docker image, run as a container of docker-compose.yml', () => {
  let image: ImageRootfs;
  let influx: Influxd;
  let ports: Record<string, string>;
  beforeAll(async () => {
    [image, influx] = await Promise.all([buildImageRootfs(root), startInfluxd()]);
    ports = { MIMAMORI_HTTP_PORT: String(await freePort()), MIMAMORI_MQTT_PORT: String(await freePort()) };
  }, 600_000);
  const volumes: string[] = [];
  const volume = () => {
    const made = freshNamedVolume();
    volumes.push(made);
    return made;
  };
  afterAll(async () => {
    image?.remove();
    for (const made of volumes) rmSync(dirname(made), { recursive: true, force: true });
    await influx?.destroy();
  });

  /** compose's environment, on free ports (the container shares this machine's network) and this test's InfluxDB. */
  const containerEnv = async (password: string) => {
    const env = await composeEnvironment({ MIMAMORI_ADMIN_PASSWORD: password });
    const influxPort = new URL(influx.url).port;
    expect(env.MIMAMORI_INFLUX_URL).toBe('http://influxdb:8086/mimamori');
    return { ...env, ...ports, MIMAMORI_INFLUX_URL: `http://influxdb:${influxPort}/mimamori` };
  };

  it('writes its database into a fresh named volume as the image’s user, and finds it again after a restart', async () => {
    const data = volume();
    const env = await containerEnv(STRONG);
    const first = runContainer(image, { volume: data, env, hosts: '127.0.0.1 influxdb' });
    const ready = await first.ready();
    const http = `http://127.0.0.1:${ready.http.port}`;
    expect((await fetch(`${http}/health`)).status).toBe(200);
    const login = await fetch(`${http}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: STRONG }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const created = await fetch(`${http}/api/homes`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'home-volume', name: '鈴木さん宅' }),
    });
    expect(created.status).toBe(201);
    expect(await first.stop()).toBe(0);
    const database = statSync(join(data, 'mimamori.sqlite'));
    expect({ uid: database.uid, gid: database.gid }).toEqual({ uid: 1000, gid: 1000 });

    const second = runContainer(image, { volume: data, env, hosts: '127.0.0.1 influxdb' });
    await second.ready();
    const again = await fetch(`${http}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: STRONG }),
    });
    const home = await fetch(`${http}/api/homes/home-volume`, {
      headers: { cookie: (again.headers.get('set-cookie') ?? '').split(';')[0] ?? '' },
    });
    expect(await home.json()).toMatchObject({ id: 'home-volume', name: '鈴木さん宅' });
    expect(await second.stop()).toBe(0);
  });

  it('refuses the placeholder password that docker-compose config lets through', async () => {
    const placeholder = '<12+ characters>';
    const env = await containerEnv(placeholder); // compose only checks that it is set
    const container = runContainer(image, { volume: volume(), env, hosts: '127.0.0.1 influxdb' });
    expect(await container.exited).toBe(78);
    expect(container.output()).toMatch(
      /admin\.password \(from MIMAMORI_ADMIN_PASSWORD="…"\): looks like a placeholder/,
    );
  });
});

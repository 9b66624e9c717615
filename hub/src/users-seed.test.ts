import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config/index.js';
import { Hub } from './hub.js';
import { systemClock } from './time/index.js';
import { DEMO_USERS } from './users-seed.js';

describe('users created at start-up', () => {
  let hub: Hub | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await hub?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const login = (username: string, password: string) =>
    fetch(`http://127.0.0.1:${hub?.httpPort}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });

  it('creates no demo login in production mode, only the configured admin', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mimamori-prod-'));
    const config = loadConfig({
      MIMAMORI_DATA_DIR: dir,
      MIMAMORI_HTTP_PORT: '0',
      MIMAMORI_MQTT_PORT: '0',
      MIMAMORI_ADMIN_USERNAME: 'ops',
      MIMAMORI_ADMIN_PASSWORD: 'a-long-admin-password',
    });
    expect(config.mode).toBe('production');
    hub = new Hub({ config, clock: systemClock, logger: pino({ level: 'silent' }) });
    await hub.start();
    for (const demo of DEMO_USERS) expect((await login(demo.username, demo.password)).status).toBe(401);
    expect((await login('ops', 'a-long-admin-password')).status).toBe(200);
    expect((await login('ops', 'wrong-password')).status).toBe(401);
  });
});

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { requireTool } from './support/require-tool.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const haveCompose = requireTool('docker-compose', 'docker-compose');
const config = (env: Record<string, string>) =>
  run('docker-compose', ['config'], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env } });

// `docker-compose config` parses and resolves the file without a Docker engine.
describe.runIf(haveCompose)('docker-compose.yml', () => {
  it('configures the hub for InfluxDB and starts it after InfluxDB', async () => {
    const { stdout } = await config({ MIMAMORI_ADMIN_PASSWORD: 'a-strong-password-1' });
    expect(stdout).toMatch(/MIMAMORI_TIMESERIES: influx/);
    expect(stdout).toMatch(/MIMAMORI_INFLUX_URL: http:\/\/influxdb:8086\/mimamori/);
    expect(stdout).toMatch(/image: influxdb:1\.8/);
    expect(stdout).toMatch(/depends_on:\s+(- )?influxdb/);
  });

  it('refuses to start without an admin password, naming the setting', async () => {
    await expect(config({})).rejects.toThrow(/MIMAMORI_ADMIN_PASSWORD/);
  });
});

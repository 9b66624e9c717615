#!/usr/bin/env node
// The quick-start demo: the hub on embedded defaults (embedded MQTT broker, SQLite in
// .data/demo) with 20 simulated homes whose day runs 60 times faster, and their last 30 days
// imported as history on the first run. Every resident is asked
// to check in every 5 minutes (a 4-minute window, re-prompted after 1 and 2 minutes), so
// answers, late answers, misses and an unwell resident show up within minutes. Ctrl-C stops both.
// Ports: MIMAMORI_HTTP_PORT (8080) and MIMAMORI_MQTT_PORT (1883), as for the hub itself.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';

const httpPort = process.env.MIMAMORI_HTTP_PORT ?? '8080';
const mqttPort = process.env.MIMAMORI_MQTT_PORT ?? '1883';
const homes = process.env.DEMO_HOMES ?? '20';

const env = {
  ...process.env,
  MIMAMORI_MODE: 'demo',
  MIMAMORI_DATA_DIR: '.data/demo',
  MIMAMORI_HTTP_PORT: httpPort,
  MIMAMORI_MQTT_PORT: mqttPort,
  MIMAMORI_LOG_LEVEL: process.env.MIMAMORI_LOG_LEVEL ?? 'warn',
};

// On the first run, the same homes' last 30 days (with a fall in home 3 on day 25) go in as
// history, so that baselines are learned and backtests have something to replay.
if (!existsSync('.data/demo/mimamori.sqlite')) {
  console.log('First run: writing and importing 30 days of history for the demo homes…');
  mkdirSync('.data/demo', { recursive: true }); // a fresh clone has no .data yet
  execFileSync(
    process.execPath,
    [
      'device-sim/dist/cli.js',
      'history',
      '--days',
      '30',
      '--homes',
      homes,
      '--seed',
      '1',
      '--fall',
      '3:25@10:00',
      '--out',
      '.data/demo-history.jsonl',
    ],
    { stdio: 'inherit' },
  );
  execFileSync(process.execPath, ['hub/dist/main.js', 'import', '.data/demo-history.jsonl'], { env, stdio: 'inherit' });
}

const hub = spawn(process.execPath, ['hub/dist/main.js'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
let sim;
let banner = '';
hub.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (sim) return;
  banner += chunk.toString();
  if (!/MQTT: /.test(banner)) return;
  sim = spawn(
    process.execPath,
    [
      'device-sim/dist/cli.js',
      '--hub',
      `http://127.0.0.1:${httpPort}`,
      '--mqtt',
      `mqtt://127.0.0.1:${mqttPort}`,
      '--homes',
      homes,
      '--seed',
      '1',
      '--speed',
      '60',
      '--scenario',
      'sos',
      '--checkin-cron',
      '*/5 * * * *',
      '--checkin-window',
      '4',
      '--checkin-reprompts',
      '2',
      '--checkin-reprompt-every',
      '1',
    ],
    { stdio: 'inherit' },
  );
  sim.on('exit', (code) => {
    if (code) console.error(`device-sim exited with ${code}`);
  });
  giveHomesNetworks().catch((error) => console.error(`could not set up the demo networks: ${error.message}`));
});

// Each demo home's watch-over network: the demo volunteer (民生委員) first, then the demo staff
// member in office hours. Set through the public API once device-sim has registered the homes.
async function giveHomesNetworks() {
  const base = `http://127.0.0.1:${httpPort}`;
  const call = async (method, path, body, cookie = '') => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { cookie, ...(body && { 'content-type': 'application/json' }) },
      body: body && JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
    return response;
  };
  const login = await call('POST', '/api/auth/login', { username: 'staff', password: 'mimamori-demo-staff' });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const users = (await (await call('GET', '/api/users', undefined, cookie)).json()).items;
  const idOf = (username) => users.find((u) => u.username === username)?.id;
  let homeIds = [];
  for (let attempt = 0; attempt < 120 && homeIds.length < Number(homes); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    homeIds = (await (await call('GET', '/api/homes', undefined, cookie)).json()).items.map((h) => h.id);
  }
  for (const id of homeIds) {
    const current = await fetch(`${base}/api/homes/${id}/network`, { headers: { cookie } });
    if (current.ok) continue;
    await call(
      'PUT',
      `/api/homes/${id}/network`,
      {
        tiers: [
          { name: '近隣・民生委員', watchers: [idOf('volunteer')], ackTimeoutMinutes: 15 },
          { name: '社協', watchers: [idOf('staff')], ackTimeoutMinutes: 30, hours: { from: '09:00', to: '17:00' } },
        ],
        announceOnAck: true,
        reason: 'デモの見守りネットワーク',
      },
      cookie,
    );
  }
  console.log(`Demo networks: ${homeIds.length} homes watched by "volunteer" (tier 1) and "staff" (tier 2).`);
}
hub.on('exit', (code) => {
  sim?.kill('SIGTERM');
  process.exit(code ?? 0);
});
const stop = () => {
  sim?.kill('SIGTERM');
  hub.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

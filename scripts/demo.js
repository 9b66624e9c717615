#!/usr/bin/env node
// The quick-start demo: the hub on embedded defaults (embedded MQTT broker, SQLite in
// .data/demo) with 20 simulated homes whose day runs 60 times faster, and their last 30 days
// imported as history on the first run. Every resident is asked
// to check in every 5 minutes (a 4-minute window, re-prompted after 1 and 2 minutes), so
// answers, late answers, misses and an unwell resident show up within minutes. The demo people
// have e-mail addresses, and a local mailbox writes what the hub sends them to .data/demo/mail.
// Ctrl-C stops everything.
// Settings: MIMAMORI_HTTP_PORT (8080) and MIMAMORI_MQTT_PORT (1883), as for the hub itself (0: any
// free port), MIMAMORI_LOG_LEVEL (warn), DEMO_HOMES (20), DEMO_DATA_DIR (.data/demo).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eachLine, formatLogLine } from './demo-log.js';
import { startMailbox } from './demo-mailbox.js';

const dataDir = process.env.DEMO_DATA_DIR ?? '.data/demo';
const homes = Number(process.env.DEMO_HOMES ?? '20');
const mailDir = join(dataDir, 'mail');
/** `.invalid` is reserved (RFC 2606): these addresses can only ever reach the demo's own mailbox. */
const MAIL_DOMAIN = 'demo.mimamori.invalid';

const mailbox = await startMailbox(mailDir, ({ to, subject, file }) =>
  console.log(`mail to ${to}: ${subject}  (${file})`),
);
const env = {
  ...process.env,
  MIMAMORI_MODE: 'demo',
  MIMAMORI_DATA_DIR: dataDir,
  MIMAMORI_HTTP_PORT: process.env.MIMAMORI_HTTP_PORT ?? '8080',
  MIMAMORI_MQTT_PORT: process.env.MIMAMORI_MQTT_PORT ?? '1883',
  MIMAMORI_LOG_LEVEL: process.env.MIMAMORI_LOG_LEVEL ?? 'warn',
  MIMAMORI_SMTP_URL: mailbox.url,
  MIMAMORI_SMTP_FROM: `見守りハブ（デモ） <hub@${MAIL_DOMAIN}>`,
};

// On the first run, the same homes' last 30 days (with a fall in home 3 on day 25) go in as
// history, so that baselines are learned and backtests have something to replay.
if (!existsSync(join(dataDir, 'mimamori.sqlite'))) {
  console.log('First run: writing and importing 30 days of history for the demo homes…');
  mkdirSync(dataDir, { recursive: true }); // a fresh clone has no .data yet
  const history = join(dataDir, 'history.jsonl');
  const fall = homes >= 3 ? ['--fall', '3:25@10:00'] : [];
  execFileSync(
    process.execPath,
    [
      'device-sim/dist/cli.js',
      'history',
      '--days',
      '30',
      '--homes',
      String(homes),
      '--seed',
      '1',
      ...fall,
      '--out',
      history,
    ],
    { stdio: 'inherit' },
  );
  const imported = execFileSync(process.execPath, ['hub/dist/main.js', 'import', history], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for (const line of imported.toString().trimEnd().split('\n')) console.log(formatLogLine(line));
}

const hub = spawn(process.execPath, ['hub/dist/main.js'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
let sim;
let started = false;
let stopping = false;
eachLine(hub.stdout, (line) => {
  const ready = readyLine(line);
  if (ready && !started) {
    started = true;
    console.log(`  Demo mailbox: ${mailDir}/ (each e-mail the hub sends the demo people, as a text file)`);
    startDemo(ready).catch((error) => console.error(`could not set up the demo: ${error.message}`));
  }
  console.log(formatLogLine(line));
});

/** The hub's ready line (hub/src/main.ts), which says where it listens. */
function readyLine(line) {
  if (!line.startsWith('{"mimamori":"ready"')) return undefined;
  return JSON.parse(line);
}

async function startDemo(ready) {
  const api = await adminSession(ready.http.url);
  await giveDemoPeopleAddresses(api);
  sim = spawn(
    process.execPath,
    [
      'device-sim/dist/cli.js',
      '--hub',
      ready.http.url,
      '--mqtt',
      ready.mqtt.url,
      '--homes',
      String(homes),
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
    if (code && !stopping) console.error(`device-sim exited with ${code}`);
  });
  await giveHomesNetworks(api);
}

/** Calls the hub's public API as the demo admin. */
async function adminSession(base) {
  const call = async (method, path, body, cookie = '') => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { cookie, ...(body && { 'content-type': 'application/json' }) },
      body: body && JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
    return response;
  };
  const login = await call('POST', '/api/auth/login', { username: 'admin', password: 'mimamori-demo-admin' });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  return {
    call: (method, path, body) => call(method, path, body, cookie),
    get: async (path) => (await call('GET', path, undefined, cookie)).json(),
    has: async (path) => (await fetch(`${base}${path}`, { headers: { cookie } })).ok,
  };
}

/** Every demo person can be told by e-mail, which lands in the demo's mailbox. */
async function giveDemoPeopleAddresses(api) {
  for (const user of (await api.get('/api/users')).items) {
    if (user.email) continue;
    await api.call('PATCH', `/api/users/${user.id}`, { email: `${user.username}@${MAIL_DOMAIN}` });
  }
}

// Each demo home's watch-over network: the demo volunteer (民生委員) first, then the demo staff
// member in office hours. Set through the public API once device-sim has registered the homes.
async function giveHomesNetworks(api) {
  const users = (await api.get('/api/users')).items;
  const idOf = (username) => users.find((u) => u.username === username)?.id;
  let homeIds = [];
  for (let attempt = 0; attempt < 120 && homeIds.length < homes; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    homeIds = (await api.get('/api/homes')).items.map((h) => h.id);
  }
  for (const id of homeIds) {
    if (await api.has(`/api/homes/${id}/network`)) continue;
    await api.call('PUT', `/api/homes/${id}/network`, {
      tiers: [
        { name: '近隣・民生委員', watchers: [idOf('volunteer')], ackTimeoutMinutes: 15 },
        { name: '社協', watchers: [idOf('staff')], ackTimeoutMinutes: 30, hours: { from: '09:00', to: '17:00' } },
      ],
      announceOnAck: true,
      reason: 'デモの見守りネットワーク',
    });
  }
  console.log(`Demo networks: ${homeIds.length} homes watched by "volunteer" (tier 1) and "staff" (tier 2).`);
}

hub.on('exit', (code) => {
  sim?.kill('SIGTERM');
  process.exit(code ?? 0);
});
const stop = () => {
  stopping = true;
  sim?.kill('SIGTERM');
  hub.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

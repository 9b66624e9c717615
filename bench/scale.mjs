#!/usr/bin/env node
// Scale benchmark (issue 7, docs/performance.md): N homes (one resident, four sensors, a speaker
// and a daily 9:00 check-in each, answered for the month before) on one hub. Measures the hub's
// start-up and RSS, the 9:00 burst (N prompts out, N answers back and settled) and the delay
// from a deadline to its alert being stored with its notifications queued, with N deadlines
// pending. Prints the figures and appends them to bench/results/scale.jsonl with the machine
// they came from.
//
//   npm run build && node bench/scale.mjs [--homes 100000] [--silent-pct 10] [--speaker-procs 2] [--timeout 600]
//     [--hub-node-args='--cpu-prof --cpu-prof-dir=/tmp/prof'] [--data bench/.data] [--results-dir bench/results]
//
// The homes are prepared once into bench/.data/scale-<N>/prepared/ (through the hub's
// repositories) and copied afresh for every run. The hub runs in a child process on free ports
// of 127.0.0.1 with a clock that runs in real time but jumps over idle hours (bench/lib/scale-hub.mjs);
// the speakers are real MQTT connections, one per home, in `--speaker-procs` child processes.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openReadOnly } from '../hub/dist/store/index.js';
import { appendResult, RESULTS_DIR } from './lib/results.mjs';
import { DUE_AT, freshRunDir, homeId, prepareScaleData, readSecrets, speakerId } from './lib/scale-data.mjs';

const { values } = parseArgs({
  options: {
    homes: { type: 'string', default: '100000' },
    'silent-pct': { type: 'string', default: '10' },
    'speaker-procs': { type: 'string', default: '2' },
    timeout: { type: 'string', default: '600' },
    connections: { type: 'string' },
    'hub-node-args': { type: 'string', default: '' },
    data: { type: 'string', default: join('bench', '.data') },
    'results-dir': { type: 'string', default: RESULTS_DIR },
  },
});
const homes = Number(values.homes);
const silentEvery = Number(values['silent-pct']) > 0 ? Math.round(100 / Number(values['silent-pct'])) : 0;
const speakerProcs = Math.max(1, Number(values['speaker-procs']));
const timeoutMs = Number(values.timeout) * 1000;
/**
 * Speakers with a real connection. The hub needs a descriptor per connection, and where the
 * descriptor limit cannot be raised (a container's hard limit) it caps how many homes can be
 * connected: the other homes' prompts are still stored and published, to no subscriber, and
 * those homes cannot answer, so their windows close unanswered at 10:00 too.
 */
const connections = Math.min(homes, Number(values.connections ?? Math.min(homes, descriptorLimit() - 2000)));
const isSilent = (i) => i >= connections || (silentEvery > 0 && i % silentEvery === 0);
const silent = Array.from({ length: homes }, (_, i) => isSilent(i)).filter(Boolean).length;
const silentConnected = Array.from({ length: connections }, (_, i) => isSilent(i)).filter(Boolean).length;
const MINUTE = 60_000;
const WINDOW_MS = 60 * MINUTE;
/** Each jump lands this long before the next deadline, so the hub meets it on a running clock. */
const LEAD_MS = 2000;
/** Descriptors for the hub and each speaker process: one per connection, plus some. */
const FD_LIMIT = homes + 10_000;

const root = values.data;
const here = fileURLToPath(new URL('.', import.meta.url));
const seconds = (ms) => Number((ms / 1000).toFixed(2));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line) => console.log(line);

const children = [];
let webhooks = 0;
const sink = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    webhooks++;
    response.end('ok');
  });
});

/** A node child with IPC, its descriptor limit raised where the system allows it. */
function child(script, env = {}, nodeArgs = []) {
  const proc = spawn(
    '/bin/sh',
    ['-c', `ulimit -n ${FD_LIMIT} 2>/dev/null; exec "$@"`, 'sh', process.execPath, ...nodeArgs, script],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  children.push(proc);
  let nextId = 1;
  const waiting = new Map();
  let ready;
  const readyPromise = new Promise((resolve) => (ready = resolve));
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  proc.on('message', (message) => {
    if (message.type === 'ready') return ready();
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error) pending?.reject(new Error(message.error));
    else pending?.resolve(message);
  });
  proc.once('exit', (code, signal) => {
    for (const { reject } of waiting.values()) reject(new Error(`${script} exited (${code ?? signal})`));
    waiting.clear();
  });
  const call = (type, body = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      proc.send({ id, type, ...body });
    });
  return { proc, call, ready: readyPromise, exited };
}

/** Polls `probe` until `done(value)`; returns the value and when (performance.now()) it was seen. */
async function until(probe, done, what, everyMs = 100) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return { value, at: performance.now() };
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await sleep(everyMs);
  }
}

function descriptorLimit() {
  const raised = spawnSync('/bin/sh', ['-c', `ulimit -n ${homes + 10_000} 2>/dev/null; ulimit -n`], {
    encoding: 'utf8',
  }).stdout.trim();
  return raised === 'unlimited' ? Infinity : Number(raised);
}

const percentile = (sorted, p) =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main() {
  const prepared = prepareScaleData(root, homes, log);
  if (prepared.reused) log(`reusing ${prepared.dir} (${homes} homes, prepared in ${prepared.preparedSeconds} s)`);
  const secrets = readSecrets(root, homes);
  const dataDir = freshRunDir(root, homes);

  await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${sink.address().port}/hook`;

  // ── start-up ─────────────────────────────────────────────────────────────────────
  // The hub starts at 08:00 on the benchmark day; nothing is due before 09:00.
  let offset = DUE_AT - 60 * MINUTE - Date.now();
  const hubArgs = values['hub-node-args'].split(' ').filter(Boolean);
  const hub = child(
    join(here, 'lib', 'scale-hub.mjs'),
    { SCALE_DATA_DIR: dataDir, SCALE_CLOCK_OFFSET: String(offset), SCALE_WEBHOOK_URL: webhookUrl },
    hubArgs,
  );
  await hub.ready;
  const started = await hub.call('start');
  const deadlinesAtStart = Number(
    /"deadlines":(\d+).*check-in deadlines rebuilt/.exec(readFileSync(join(dataDir, 'hub.log'), 'utf8'))?.[1] ?? NaN,
  );
  log(
    `start-up: hub.start() ${seconds(started.hubStartMs)} s, MQTT and HTTP answering after ${seconds(started.answeringMs)} s; RSS ${started.rssMiB} MiB; ${deadlinesAtStart} check-in deadlines armed`,
  );

  // ── speakers connect ─────────────────────────────────────────────────────────────
  const devices = Array.from({ length: connections }, (_, i) => ({
    homeId: homeId(i),
    deviceId: speakerId(i),
    secret: secrets[i],
    silent: isSilent(i),
  }));
  const speakers = Array.from({ length: speakerProcs }, () => child(join(here, 'lib', 'scale-speakers.mjs')));
  await Promise.all(speakers.map((s) => s.ready));
  const connectStarted = performance.now();
  const connectedPerProc = await Promise.all(
    speakers.map((s, p) =>
      s.call('connect', { port: started.mqttPort, offset, devices: devices.filter((_, i) => i % speakerProcs === p) }),
    ),
  );
  const connected = connectedPerProc.reduce((sum, r) => sum + r.connected, 0);
  const connectSeconds = seconds(performance.now() - connectStarted);
  const afterConnect = await hub.call('rss');
  if (connected < connections) throw new Error(`only ${connected} of ${connections} speakers could connect`);
  log(
    `speakers: ${connected} connected and subscribed (${connections} asked${connections < homes ? ', capped by the descriptor limit' : ''}; ${homes} homes) over ${speakerProcs} processes in ${connectSeconds} s; hub RSS ${afterConnect.rssMiB} MiB (heap ${afterConnect.heapUsedMiB} MiB)`,
  );

  const db = openReadOnly(join(dataDir, 'mimamori.sqlite'));
  const count = (sql, ...params) =>
    db
      .prepare(sql)
      .pluck()
      .get(...params);
  const speakerStats = async () => {
    const all = await Promise.all(speakers.map((s) => s.call('stats')));
    const sum = (key) => all.reduce((n, r) => n + r.stats[key], 0);
    const latest = (key) => Math.max(...all.map((r) => r.stats[key] ?? -Infinity));
    return {
      prompts: sum('prompts'),
      answersSent: sum('answersSent'),
      answersAcked: sum('answersAcked'),
      lastPromptAt: latest('lastPromptAt'),
      lastAckAt: latest('lastAckAt'),
      errors: sum('errors'),
    };
  };
  /** Sets the hub's clock (and the speakers' stamps) to `lead` ms before `virtual`; returns the real time `virtual` then falls on. */
  const jumpTo = async (virtual) => {
    offset = virtual - LEAD_MS - Date.now();
    await Promise.all(speakers.map((s) => s.call('offset', { offset })));
    await hub.call('jump', { offset });
    return virtual - offset;
  };

  // ── the 9:00 burst ───────────────────────────────────────────────────────────────
  // The day's check-ins, not the month of answered ones before it (bench/lib/scale-data.mjs).
  const TODAYS_CHECKINS = 'SELECT COUNT(*) FROM checkins WHERE due_at = ?';
  await Promise.all(speakers.map((s) => s.call('reset')));
  const realDue = await jumpTo(DUE_AT);
  const answering = homes - silent;
  await until(speakerStats, (s) => s.prompts >= connections && count(TODAYS_CHECKINS, DUE_AT) >= homes, 'the prompts');
  const settled = await until(
    () => ({ answered: count(`${TODAYS_CHECKINS} AND outcome = 'answered'`, DUE_AT) }),
    (c) => c.answered >= answering,
    'the answers',
  );
  const burstStats = await speakerStats();
  const answersStoredAt = count("SELECT MAX(received_at) FROM events WHERE type = 'checkin'");
  const burst = {
    checkins: count(TODAYS_CHECKINS, DUE_AT),
    prompts: burstStats.prompts,
    answered: settled.value.answered,
    allPromptsSeconds: seconds(burstStats.lastPromptAt - realDue),
    // None when every speaker stays silent (--silent-pct 100).
    allAnswersStoredSeconds: answersStoredAt ? seconds(answersStoredAt - DUE_AT) : null,
    allAnswersSettledSeconds: seconds(Date.now() - (performance.now() - settled.at) - realDue),
  };
  const afterBurst = await hub.call('rss');
  log(
    `9:00 burst: ${burst.checkins} check-ins due at once; ${burst.prompts} prompts received by the speakers ${burst.allPromptsSeconds} s after 9:00; ` +
      (burst.answered > 0
        ? `${burst.answered} answers stored by ${burst.allAnswersStoredSeconds} s and settled by ${burst.allAnswersSettledSeconds} s`
        : 'no answers (every speaker silent)') +
      `; hub RSS ${afterBurst.rssMiB} MiB`,
  );

  // ── deadlines: the silent homes' re-prompts, then their windows close at 10:00 ───
  for (const minutes of [20, 40]) {
    await Promise.all(speakers.map((s) => s.call('reset')));
    await jumpTo(DUE_AT + minutes * MINUTE);
    await until(speakerStats, (s) => s.prompts >= silentConnected, `the ${minutes}-minute re-prompts`);
  }
  const closeDue = DUE_AT + WINDOW_MS;
  const realClose = await jumpTo(closeDue);
  const alertsSql = "SELECT COUNT(*) FROM alerts WHERE rule = 'checkin.missed'";
  const outboxSql =
    "SELECT COUNT(DISTINCT o.alert_id) FROM outbox o JOIN alerts a ON a.id = o.alert_id WHERE a.rule = 'checkin.missed'";
  const stored = await until(
    () => ({ alerts: count(alertsSql), notified: count(outboxSql) }),
    (c) => c.alerts >= silent && c.notified >= silent,
    'the missed alerts',
    50,
  );
  const alertDelays = db
    .prepare("SELECT a.opened_at - ? AS delay FROM alerts a WHERE a.rule = 'checkin.missed' ORDER BY delay")
    .pluck()
    .all(closeDue);
  const outboxDelays = db
    .prepare(
      "SELECT MIN(o.created_at) - ? AS delay FROM outbox o JOIN alerts a ON a.id = o.alert_id WHERE a.rule = 'checkin.missed' GROUP BY o.alert_id ORDER BY delay",
    )
    .pluck()
    .all(closeDue);
  const deadlines = {
    pending: deadlinesAtStart + silent,
    fired: silent,
    alerts: stored.value.alerts,
    outboxAlerts: stored.value.notified,
    outboxRows: count(
      "SELECT COUNT(*) FROM outbox o JOIN alerts a ON a.id = o.alert_id WHERE a.rule = 'checkin.missed'",
    ),
    alertP50Ms: percentile(alertDelays, 50),
    alertP99Ms: percentile(alertDelays, 99),
    alertMaxMs: percentile(alertDelays, 100),
    outboxP50Ms: percentile(outboxDelays, 50),
    outboxP99Ms: percentile(outboxDelays, 99),
    outboxMaxMs: percentile(outboxDelays, 100),
    allVisibleSeconds: seconds(Date.now() - (performance.now() - stored.at) - realClose),
  };
  const afterDeadlines = await hub.call('rss');
  log(
    `deadlines: ${deadlines.fired} check-in windows closed at 10:00 with ${deadlines.pending} deadlines pending; ${deadlines.alerts} checkin.missed alerts stored, ` +
      `${deadlines.outboxRows} outbox rows; delay due → alert stored p50 ${deadlines.alertP50Ms} ms, p99 ${deadlines.alertP99Ms} ms, max ${deadlines.alertMaxMs} ms; ` +
      `→ outbox row p50 ${deadlines.outboxP50Ms} ms, p99 ${deadlines.outboxP99Ms} ms; all visible to a reader after ${deadlines.allVisibleSeconds} s; hub RSS ${afterDeadlines.rssMiB} MiB`,
  );
  db.close();

  await Promise.all(speakers.map((s) => s.call('close')));
  await hub.call('stop');
  // A hub run with --cpu-prof writes its profile as it exits.
  await Promise.race([Promise.all([hub, ...speakers].map((c) => c.exited)), sleep(60_000)]);
  appendResult(
    'scale',
    { homes, silent, speakerProcesses: speakerProcs, connections },
    {
      connected,
      startup: {
        hubStartSeconds: seconds(started.hubStartMs),
        answeringSeconds: seconds(started.answeringMs),
        rssMiB: started.rssMiB,
        deadlines: deadlinesAtStart,
      },
      connectSeconds,
      rssAfterConnectMiB: afterConnect.rssMiB,
      burst,
      rssAfterBurstMiB: afterBurst.rssMiB,
      deadlines,
      rssAfterDeadlinesMiB: afterDeadlines.rssMiB,
      webhooksDelivered: webhooks,
    },
    values['results-dir'],
  );
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  console.error(error instanceof Error ? error.stack : error);
} finally {
  for (const proc of children) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  sink.close();
}
process.exit(failed ? 1 : 0);

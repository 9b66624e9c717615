import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { between, mulberry32 } from '../../device-sim/src/rng.js';
import { openReadOnly } from '../../hub/src/store/database.js';
import { createVolunteers, putTwoTierNetwork, staffClient } from '../../hub/src/testing/test-hub.js';
import { DeviceFleet, type FleetDevice } from './device-fleet.js';
import { freePort } from './free-port.js';
import { startHubProcess, type HubProcess } from './hub-process.js';

export interface CrashSeriesOptions {
  /** At least this many kills; the series goes on until it also stopped the hub across a check-in and an escalation step. */
  kills: number;
  devices: number;
  seed: number;
  log: (line: string) => void;
}

/** One kill: when the hub died, when it was started again and when MQTT and HTTP answered. */
export interface Outage {
  killAt: number;
  spawnAt: number;
  httpAt: number;
  mqttAt: number;
  /** Aimed across a minute boundary (check-ins fall due) or an SOS's escalation step; random otherwise. */
  aimedAt: 'check-ins' | 'escalation' | undefined;
  /** Published before the kill without a PUBACK yet. */
  inFlight: number;
  /** Of those, already stored before the kill: their resend is a duplicate. */
  storedUnacked: number;
  /** Acknowledged events (by this or an earlier hub) not in the store after the restart. */
  lost: string[];
}

export interface CrashSeriesRun {
  outages: Outage[];
  published: number;
  /** Events a device sent again because its client library gave up on them. */
  resentByDevices: number;
  /** Events still without a PUBACK when the devices were given a minute to deliver them. */
  unackedAtEnd: number;
  /** `device/event` ids the devices published that the store does not have, and rows it has twice. */
  neverStored: string[];
  storedTwice: number;
  dataDir: string;
  /** Homes that have a watch-over network and an every-minute check-in. */
  watchedHomes: number;
  /** When the series ended; deadlines due later are not judged. */
  endedAt: number;
}

/** Homes with a watch-over network, an every-minute check-in and an SOS now and then. */
const WATCHED_HOMES = 20;
/** The first tier's timeout in `putTwoTierNetwork`. */
const TIER_TIMEOUT_MS = 60_000;
const MINUTE = 60_000;

/**
 * kill -9 at random moments while a fleet of devices publishes QoS 1 events (with bursts),
 * restarting the built hub on the same data, ports and devices each time. Some kills are aimed
 * across a deadline: a minute boundary, where the every-minute check-ins fall due, or the
 * escalation step of an SOS sent a minute before. Returns what happened; `crash-verdict.ts`
 * judges the deadlines.
 */
export async function runCrashSeries(options: CrashSeriesOptions): Promise<CrashSeriesRun> {
  const random = mulberry32(options.seed);
  const env = { MIMAMORI_HTTP_PORT: String(await freePort()), MIMAMORI_MQTT_PORT: String(await freePort()) };
  let hub: HubProcess = await startHubProcess(env);
  const { dataDir } = hub;
  const fleetDevices = await provision(hub.http, options.devices);
  const probe = fleetDevices.pop() as FleetDevice;
  options.log(
    `provisioned ${fleetDevices.length} devices (${WATCHED_HOMES} homes watched by a network with check-ins every minute)`,
  );

  const fleet = await DeviceFleet.start({
    mqttUrl: `mqtt://127.0.0.1:${env.MIMAMORI_MQTT_PORT}`,
    devices: fleetDevices,
    everyMs: 2_000,
    burstEveryMs: 500,
    burstSize: 20,
    random,
  });
  let sosSent = 0;
  let escalationDue = 0;
  const sendSos = () => {
    fleet.publish(fleetDevices[sosSent++ % WATCHED_HOMES] as FleetDevice, { type: 'sos', via: 'button' });
    // The alert opens a few milliseconds after it is sent, and escalates a tier timeout later.
    escalationDue = Date.now() + TIER_TIMEOUT_MS + 300;
  };
  sendSos();
  const outages: Outage[] = [];
  const verified = new WeakSet<object>();
  const aimedAt = (target: Outage['aimedAt']) => outages.some((o) => o.aimedAt === target);
  try {
    while (outages.length < options.kills || !aimedAt('check-ins') || !aimedAt('escalation')) {
      const plan = planKill(random, Date.now(), storedEscalationDue(dataDir) ?? escalationDue);
      await sleepUntil(plan.killAt);
      const inFlight = fleet.published.filter((p) => p.ackedAt === undefined);
      await hub.kill9();
      await sleepUntil(plan.restartAt);
      const spawnAt = Date.now();
      hub = await startHubProcess(env, dataDir);
      const [httpAt, mqttAt] = await Promise.all([httpAnswers(hub.http), mqttAnswers(hub.mqttPort, probe)]);
      const outage: Outage = {
        killAt: plan.killAt,
        spawnAt,
        httpAt,
        mqttAt,
        aimedAt: plan.aimedAt,
        inFlight: inFlight.length,
        ...checkStore(dataDir, fleet, verified, inFlight, plan.killAt),
      };
      outages.push(outage);
      options.log(
        `kill ${outages.length}${plan.aimedAt ? ` (across ${plan.aimedAt})` : ''}: down ${Math.round(spawnAt - plan.killAt)} ms, HTTP after ${httpAt - spawnAt} ms, MQTT after ${mqttAt - spawnAt} ms; ${outage.inFlight} in flight (${outage.storedUnacked} stored unacknowledged), ${outage.lost.length} lost`,
      );
      // The next SOS once the last one's escalation step is past, sent while the hub is up.
      if (escalationDue < Date.now()) sendSos();
    }
    // Let the last restart's overdue deadlines (5 s grace) fire before judging them.
    await sleepUntil(Date.now() + 12_000);
  } finally {
    fleet.stopPublishing();
  }
  const unackedAtEnd = await fleet.drain(60_000);
  await fleet.close();
  const endedAt = Date.now();
  await hub.stop();
  return {
    outages,
    published: fleet.published.length,
    resentByDevices: fleet.resentByDevices,
    unackedAtEnd,
    ...compareStore(dataDir, fleet),
    dataDir,
    watchedHomes: WATCHED_HOMES,
    endedAt,
  };
}

/** Homes, residents and motion sensors; the first homes also get a network and a check-in every minute. */
async function provision(http: string, count: number): Promise<FleetDevice[]> {
  const api = await staffClient(http);
  const watchers = await createVolunteers(api, ['crash-neighbour', 'crash-council']);
  const one = async (index: number): Promise<FleetDevice> => {
    const homeId = `home-${String(index).padStart(4, '0')}`;
    const deviceId = `motion-${String(index).padStart(4, '0')}`;
    await api('POST', '/api/homes', { id: homeId, name: `${homeId} 宅` });
    await api('POST', `/api/homes/${homeId}/residents`, { id: `${homeId}-r1`, name: '佐藤 ハナ' });
    await api('POST', '/api/devices', { id: deviceId, homeId, kind: 'motion' });
    const credentials = (await api('POST', `/api/devices/${deviceId}/credentials`)).body as Omit<
      FleetDevice,
      'deviceId' | 'homeId'
    >;
    if (index < WATCHED_HOMES) {
      await putTwoTierNetwork(api, homeId, watchers, 'crash series');
      await api('POST', `/api/residents/${homeId}-r1/schedules`, {
        cron: '* * * * *',
        windowMinutes: 1,
        reprompts: 0,
        voluntaryLeadMinutes: 0,
      });
    }
    return { deviceId, homeId, ...credentials };
  };
  const devices: FleetDevice[] = [];
  // A few requests at a time: the hub's API, not this loop, is what should be busy.
  for (let start = 0; start <= count; start += 16) {
    const batch = Array.from({ length: Math.min(16, count + 1 - start) }, (_, i) => one(start + i));
    devices.push(...(await Promise.all(batch)));
  }
  return devices;
}

/**
 * Within ten seconds of a deadline (the next minute boundary, or the escalation step due) the
 * kill is aimed across it: down from up to two seconds before until one to three seconds
 * after. Otherwise it comes after one to eight seconds of running and lasts up to two.
 */
function planKill(
  random: () => number,
  now: number,
  escalationDue: number,
): { killAt: number; restartAt: number; aimedAt: Outage['aimedAt'] } {
  const targets = [
    { at: nextMinute(now + 2_500), aimedAt: 'check-ins' as const },
    { at: escalationDue, aimedAt: 'escalation' as const },
  ].filter((t) => t.at >= now + 2_500 && t.at - now <= 10_000);
  const target = targets.sort((a, b) => a.at - b.at)[0];
  if (target)
    return {
      killAt: target.at - between(random, 300, 2_000),
      restartAt: target.at + between(random, 1_000, 3_000),
      aimedAt: target.aimedAt,
    };
  const killAt = now + between(random, 1_000, 8_000);
  return { killAt, restartAt: killAt + between(random, 0, 2_000), aimedAt: undefined };
}

/**
 * When the newest SOS alert's escalation step falls due, from the alert as the hub stored it. The
 * time the button was pressed is only an estimate: on a loaded machine, after a slow restart, the
 * alert opened seconds later, and a kill aimed at the estimate missed the step (no escalation due
 * in any outage, and the series failed for it).
 */
function storedEscalationDue(dataDir: string): number | undefined {
  const db = openReadOnly(join(dataDir, 'mimamori.sqlite'));
  try {
    const row = db
      .prepare("SELECT MAX(opened_at) AS openedAt FROM alerts WHERE rule IN (SELECT id FROM rules WHERE type = 'sos')")
      .get() as { openedAt: number | null };
    return row.openedAt === null ? undefined : row.openedAt + TIER_TIMEOUT_MS;
  } finally {
    db.close();
  }
}

/**
 * After a restart: every acknowledged event not checked before must be in the store, and of
 * the events in flight at the kill, those stored before it are counted (their acknowledgement
 * died with the hub; the device's resend must be taken as a duplicate).
 */
function checkStore(
  dataDir: string,
  fleet: DeviceFleet,
  verified: WeakSet<object>,
  inFlight: readonly { deviceId: string; eventId: string }[],
  killAt: number,
): Pick<Outage, 'lost' | 'storedUnacked'> {
  const db = openReadOnly(join(dataDir, 'mimamori.sqlite'));
  try {
    const find = db.prepare('SELECT received_at AS receivedAt FROM events WHERE device_id = ? AND event_id = ?');
    const lost: string[] = [];
    for (const p of fleet.published) {
      if (p.ackedAt === undefined || verified.has(p)) continue;
      if (find.get(p.deviceId, p.eventId)) verified.add(p);
      else lost.push(`${p.deviceId}/${p.eventId}`);
    }
    const storedUnacked = inFlight.filter(
      (p) => ((find.get(p.deviceId, p.eventId) as { receivedAt: number } | undefined)?.receivedAt ?? Infinity) < killAt,
    ).length;
    return { lost, storedUnacked };
  } finally {
    db.close();
  }
}

/** At the end: every published event stored exactly once. */
function compareStore(dataDir: string, fleet: DeviceFleet): Pick<CrashSeriesRun, 'neverStored' | 'storedTwice'> {
  const db = openReadOnly(join(dataDir, 'mimamori.sqlite'));
  try {
    const rows = db
      .prepare("SELECT device_id AS deviceId, event_id AS eventId FROM events WHERE device_id LIKE 'motion-%'")
      .all() as { deviceId: string; eventId: string }[];
    const stored = new Set(rows.map((r) => `${r.deviceId}/${r.eventId}`));
    const neverStored = fleet.published.map((p) => `${p.deviceId}/${p.eventId}`).filter((key) => !stored.has(key));
    return { neverStored, storedTwice: rows.length - stored.size };
  } finally {
    db.close();
  }
}

async function httpAnswers(http: string): Promise<number> {
  for (;;) {
    const answered = await fetch(`${http}/health`).then(
      () => true,
      () => false,
    );
    if (answered) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * When the probe device, from a process of its own (Debian's mosquitto_pub, so the fleet's
 * thousand clients in this process do not delay it), got its CONNACK: the broker answers
 * again. (Its event goes at QoS 0: the fleet's resent backlog, not the restart, decides how
 * soon a PUBACK comes.)
 */
async function mqttAnswers(port: number, probe: FleetDevice): Promise<number> {
  for (;;) {
    const payload = JSON.stringify({ id: `probe-${Date.now()}`, ts: Date.now(), type: 'heartbeat' });
    const args = [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-q',
      '0',
      '-u',
      probe.username,
      '-P',
      probe.password,
      '-i',
      `${probe.username}:probe`,
      '-t',
      `${probe.topicPrefix}/event`,
      '-m',
      payload,
    ];
    const answered = await run('mosquitto_pub', args, { timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (answered) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const run = promisify(execFile);
const nextMinute = (ms: number) => Math.ceil((ms + 1) / MINUTE) * MINUTE;
const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

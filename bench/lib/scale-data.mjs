// The scale benchmark's data (bench/scale.mjs, issue 7): N homes, each with one resident, four
// sensors, a speaker, one daily check-in schedule and a month of answered check-ins, written
// once through the hub's own repositories and copied afresh for every run (a run leaves
// check-ins, alerts and outbox rows).
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkinScheduleInput, homeInput, residentInput } from '@mimamori/contract';
import { freshOccurrence } from '../../hub/dist/checkins/ladder.js';
import { RuleRegistry } from '../../hub/dist/engine/index.js';
import {
  CheckinRepository,
  CheckinScheduleRepository,
  DeviceRepository,
  HomeRepository,
  RuleRepository,
  openDatabase,
} from '../../hub/dist/store/index.js';

/** When the homes were registered (the day before the benchmark's day). */
export const PREPARED_AT = Date.parse('2026-11-23T10:00:00+09:00');
/** The benchmark's 9:00 check-in, in the residents' time zone. */
export const DUE_AT = Date.parse('2026-11-24T09:00:00+09:00');
export const CRON = '0 9 * * *';
export const TIMEZONE = 'Asia/Tokyo';
const SENSORS = ['motion', 'door', 'environment', 'power'];
/** Days of answered check-ins each resident has before the benchmark's day, as after a month of watching. */
const HISTORY_DAYS = 30;
const DAY = 86_400_000;
/** Homes per transaction while preparing: a few large commits, not one per home. */
const CHUNK = 10_000;
/**
 * What the prepared data looks like; data prepared by an older version of this file is prepared
 * again. 3: residents' and check-ins' ids made as the hub makes them, and the month's check-ins
 * written day by day. Ids in the order of preparing had put the 9:00 check-ins at the ends of two
 * of their three indexes instead of all over them, as on a real hub, flattering the burst (issue 21).
 */
const DATA_VERSION = 3;

export const homeId = (i) => `h${String(i).padStart(6, '0')}`;
export const speakerId = (i) => `${homeId(i)}-spk`;

/**
 * Prepares `bench/.data/scale-<homes>/prepared/` once (SQLite file + the speakers' secrets)
 * and returns where it is; later calls reuse it.
 */
export function prepareScaleData(root, homes, log = console.log) {
  const dir = join(root, `scale-${homes}`, 'prepared');
  const done = join(dir, 'prepared.json');
  if (existsSync(done)) {
    const meta = JSON.parse(readFileSync(done, 'utf8'));
    if (meta.version === DATA_VERSION) return { dir, ...meta, reused: true };
    log(`the data in ${dir} was prepared by an older bench/lib/scale-data.mjs: preparing it again`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const db = openDatabase(join(dir, 'mimamori.sqlite'));
  const homeRepo = new HomeRepository(db);
  const devices = new DeviceRepository(db);
  const schedules = new CheckinScheduleRepository(db);
  const spec = checkinScheduleInput.parse({ cron: CRON, timezone: TIMEZONE });
  const secrets = [];
  for (let from = 0; from < homes; from += CHUNK) {
    db.transaction(() => {
      for (let i = from; i < Math.min(homes, from + CHUNK); i++) {
        const id = homeId(i);
        homeRepo.create(homeInput.parse({ id, name: `${id} 宅`, district: `district-${i % 50}` }), PREPARED_AT);
        const resident = homeRepo.addResident(id, residentInput.parse({ name: '佐藤 ハナ' }), PREPARED_AT);
        for (const kind of SENSORS) devices.create({ id: `${id}-${kind}`, homeId: id, kind }, PREPARED_AT);
        devices.create({ id: speakerId(i), homeId: id, kind: 'speaker' }, PREPARED_AT);
        secrets.push(devices.issueSecret(speakerId(i), PREPARED_AT));
        schedules.create(resident.id, id, spec, PREPARED_AT);
      }
    })();
  }
  prepareRules(db);
  prepareCheckinHistory(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  writeFileSync(join(dir, 'secrets.json'), JSON.stringify(secrets));
  const seconds = (performance.now() - started) / 1000;
  const meta = { homes, preparedSeconds: Number(seconds.toFixed(1)), version: DATA_VERSION };
  writeFileSync(done, JSON.stringify(meta));
  log(
    `prepared ${homes} homes (1 resident, 4 sensors, 1 speaker, 1 schedule, ${HISTORY_DAYS} days of check-ins each) in ${meta.preparedSeconds} s`,
  );
  return { dir, ...meta, reused: false };
}

/** A fresh copy of the prepared data for one run; returns the run's data dir. */
export function freshRunDir(root, homes) {
  const prepared = join(root, `scale-${homes}`, 'prepared');
  const dir = join(root, `scale-${homes}`, 'run');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(prepared, 'mimamori.sqlite'), join(dir, 'mimamori.sqlite'));
  return dir;
}

export const readSecrets = (root, homes) =>
  JSON.parse(readFileSync(join(root, `scale-${homes}`, 'prepared', 'secrets.json'), 'utf8'));

/**
 * A month of answered 9:00 check-ins for every schedule: what a hub that has watched the homes
 * for a month holds, and what a missed check-in reads to count the resident's run of misses.
 */
function prepareCheckinHistory(db) {
  const checkins = new CheckinRepository(db);
  const schedules = db.prepare('SELECT id, resident_id, home_id FROM checkin_schedules').all();
  // Day by day, as a hub writes them: each day's check-ins of all homes together.
  for (let day = HISTORY_DAYS; day >= 1; day--) {
    const dueAt = DUE_AT - day * DAY;
    const answeredAt = dueAt + 5 * 60_000;
    db.transaction(() => {
      for (const schedule of schedules) {
        const occurrence = freshOccurrence(
          { id: schedule.id, residentId: schedule.resident_id, homeId: schedule.home_id },
          dueAt,
          dueAt,
          null,
        );
        checkins.insert({
          ...occurrence,
          outcome: 'answered',
          promptsSent: 1,
          answer: 'fine',
          answeredAt,
          closedAt: answeredAt,
        });
      }
    })();
  }
}

/**
 * The rule catalogue with `device.offline` switched off, as staff could: the benchmark's speakers
 * send nothing but answers (no heartbeats), so with it on every speaker would be reported offline
 * 30 minutes after 9:00, an alert storm of the benchmark's own making in the middle of the
 * deadline measurement. Every other rule keeps its defaults.
 */
function prepareRules(db) {
  const rules = new RuleRegistry(new RuleRepository(db));
  rules.seedDefaults(PREPARED_AT);
  const offline = new RuleRepository(db).get('device.offline');
  if (offline?.enabled) {
    new RuleRepository(db).save(
      { ...offline, enabled: false },
      { by: 'bench', reason: 'bench/scale.mjs: speakers without heartbeats', at: PREPARED_AT },
    );
  }
}

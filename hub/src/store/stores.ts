import type { Component } from '../lifecycle/index.js';
import { AbsenceRepository } from './absences.js';
import { AlexaEchoRepository } from './alexa-echos.js';
import { AlertRepository } from './alerts.js';
import { AuditLog } from './audit-log.js';
import { BaselineRepository } from './baselines.js';
import { CheckinScheduleRepository } from './checkin-schedules.js';
import { CheckinRepository } from './checkins.js';
import { JournalCursor } from './cursors.js';
import { openDatabase, type Db } from './database.js';
import { DeviceRepository } from './devices.js';
import { HomeActivity } from './home-activity.js';
import { PresenceRepository } from './home-presence.js';
import { HomeRepository } from './homes.js';
import { HubStateRepository } from './hub-state.js';
import { EventJournal } from './journal.js';
import { NetworkRepository } from './networks.js';
import { OutboxRepository } from './outbox.js';
import { PairingCodeRepository } from './pairing-codes.js';
import { RuleStateRepository } from './rule-state.js';
import { RuleRepository } from './rules.js';
import { transactionsOf } from './transactions.js';
import { UserRepository } from './users.js';

/** Every repository of the hub's one SQLite file, and the file's lifecycle. */
export interface Stores {
  /** The file's path (`:memory:` for a test's in-memory store); backtest workers open it read-only. */
  file: string;
  db: Db;
  homes: HomeRepository;
  devices: DeviceRepository;
  users: UserRepository;
  alerts: AlertRepository;
  outbox: OutboxRepository;
  schedules: CheckinScheduleRepository;
  checkins: CheckinRepository;
  absences: AbsenceRepository;
  networks: NetworkRepository;
  hubState: HubStateRepository;
  baselines: BaselineRepository;
  rules: RuleRepository;
  ruleStates: RuleStateRepository;
  presence: PresenceRepository;
  journal: EventJournal;
  homeActivity: HomeActivity;
  audit: AuditLog;
  /** Echos paired through the Alexa skill, what waits for each, and the codes that pair them. */
  alexaEchos: AlexaEchoRepository;
  pairingCodes: PairingCodeRepository;
  /** The rules engine's position in the journal. */
  engineCursor: JournalCursor;
  /** The InfluxDB forwarder's position in the journal. */
  influxCursor: JournalCursor;
  transaction<T>(work: () => T): T;
  /** Closes the file when the hub stops (it was opened here, where the hub is composed). */
  component: Component;
}

/**
 * Opens (creating and migrating) the hub's SQLite file and builds its repositories.
 * `onJournalCommitted` is told after each group commit of events (the InfluxDB forwarder wakes).
 */
export function openStores(file: string, options: { onJournalCommitted?: () => void } = {}): Stores {
  const db = openDatabase(file);
  const presence = new PresenceRepository(db);
  const journal = new EventJournal(db, () => options.onJournalCommitted?.());
  return {
    file,
    db,
    homes: new HomeRepository(db, (id) => presence.forget(id)),
    devices: new DeviceRepository(db),
    users: new UserRepository(db),
    alerts: new AlertRepository(db),
    outbox: new OutboxRepository(db),
    schedules: new CheckinScheduleRepository(db),
    checkins: new CheckinRepository(db),
    absences: new AbsenceRepository(db),
    networks: new NetworkRepository(db),
    hubState: new HubStateRepository(db),
    baselines: new BaselineRepository(db),
    rules: new RuleRepository(db),
    ruleStates: new RuleStateRepository(db),
    presence,
    journal,
    homeActivity: new HomeActivity(db),
    audit: new AuditLog(db),
    alexaEchos: new AlexaEchoRepository(db),
    pairingCodes: new PairingCodeRepository(db),
    engineCursor: new JournalCursor(db, 'engine'),
    influxCursor: new JournalCursor(db, 'influx'),
    transaction: (work) => transactionsOf(db).run(work),
    component: {
      name: 'store',
      // Events still waiting for their group are committed before the file closes.
      stop: () => {
        journal.drain();
        db.close();
      },
    },
  };
}

export { openDatabase, openReadOnly, type Db } from './database.js';
export { HomeRepository } from './homes.js';
export {
  DeviceRepository,
  mosquittoPasswordHash,
  type BrokerAccount,
  type DevicePrincipal,
  type HomeDevice,
} from './devices.js';
export { UserRepository } from './users.js';
export { AlertRepository, type NewAlert, type QueuedDelivery, type StoredIncident } from './alerts.js';
export { OutboxRepository, type DeliveryRecord, type OutboxItem } from './outbox.js';
export { EventJournal, type JournalEntry } from './journal.js';
export { JournalCursor } from './cursors.js';
export { SqliteTimeSeries } from './sqlite-time-series.js';
export { IdTakenError } from './ids.js';
export type { StoredEvent, EventQuery, TimeSeriesStore } from './time-series.js';
export { InfluxTimeSeries } from './influx-time-series.js';
export { InfluxForwarder, type InfluxForwarderDeps } from './influx-forwarder.js';
export { CheckinScheduleRepository, type StoredSchedule } from './checkin-schedules.js';
export { CheckinRepository, type Occurrence, type OccurrenceSummary } from './checkins.js';
export { AbsenceRepository, type StoredAbsence } from './absences.js';
export { HomeActivity } from './home-activity.js';
export { HubStateRepository } from './hub-state.js';
export { RuleRepository, type RuleConfig, type RuleChange } from './rules.js';
export { RuleStateRepository, type StoredRuleState } from './rule-state.js';
export { PresenceRepository } from './home-presence.js';
export { BaselineRepository } from './baselines.js';
export { NetworkRepository, type StoredNetwork } from './networks.js';
export { AuditLog, type AuditVerification } from './audit-log.js';
export type { Contact } from './users.js';
export { EventRetention } from './retention.js';
export { openStores, type Stores } from './stores.js';
export { transactionsOf, type Transactions } from './transactions.js';
export { AlexaEchoRepository, type EchoContact, type PairedEcho, type PendingCommand } from './alexa-echos.js';
export { PairingCodeRepository, type CodeLookup } from './pairing-codes.js';
export { composeTimeSeries, type TimeSeriesBackend } from './time-series-backend.js';

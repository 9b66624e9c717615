import type { MessagePort } from 'node:worker_threads';
import type { DeviceCommand, ParsedTopic } from '@mimamori/contract';
import type { IngestOutcome } from '../ingest/index.js';
import type { DevicePrincipal } from '../store/index.js';
import type { MqttBrokerSettings } from './mqtt-broker.js';

/** What the broker thread is started with (structured-cloned into it). */
export interface BrokerThreadData {
  settings: MqttBrokerSettings;
  tls: { cert: Buffer; key: Buffer } | undefined;
  /** The hub's store file: the thread authenticates devices over a read-only connection of its own. */
  dbFile: string;
  logLevel: string;
}

/** The broker's calls that the main thread makes on the broker thread, with their results. */
export interface BrokerCalls {
  sendCommand: { args: [homeId: string, deviceId: string, command: DeviceCommand]; result: undefined };
  disconnectDevice: { args: [deviceId: string]; result: number };
  homeRemoved: { args: [homeId: string]; result: undefined };
  /** Answered after everything the thread posted before it: counts included, so a scrape sees them. */
  sessions: { args: []; result: number };
  stop: { args: []; result: undefined };
}

export type BrokerCall = {
  [M in keyof BrokerCalls]: { kind: 'call'; id: number; method: M; args: BrokerCalls[M]['args'] };
}[keyof BrokerCalls];

/** Why an event was not stored: the store's outage (the device resends) or another failure. */
export interface IngestFailure {
  message: string;
  storeCode?: string | undefined;
}

/** Main thread → broker thread. */
export type ToBroker =
  | BrokerCall
  | { kind: 'ingested'; id: number; outcome: IngestOutcome }
  | { kind: 'ingestFailed'; id: number; failure: IngestFailure }
  /** A WebSocket the main thread's HTTP server took over, its bytes relayed over `port`. */
  | { kind: 'webSocket'; port: MessagePort; address: string | undefined };

/** Broker thread → main thread. */
export type FromBroker =
  | { kind: 'listening'; port: number }
  | { kind: 'reply'; id: number; result?: unknown; error?: string }
  /** An authorised publish for ingest; its PUBACK waits for the answer. The payload as UTF-8 text. */
  | { kind: 'ingest'; id: number; device: DevicePrincipal; topic: ParsedTopic; payload: string }
  | { kind: 'count'; counter: 'mqttRejected' | 'mqttConnectionsRefused'; reason: string }
  /** A log line of the thread's pino, to be written by the hub's own logger. */
  | { kind: 'log'; line: string };

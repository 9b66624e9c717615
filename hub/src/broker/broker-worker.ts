import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { pino } from 'pino';
import { StoreUnavailable, type IngestOutcome } from '../ingest/index.js';
import { DeviceRepository, openReadOnly } from '../store/index.js';
import type { BrokerMetrics } from './broker-metrics.js';
import { BatchedPort } from './batched-port.js';
import { MqttBroker } from './mqtt-broker.js';
import { portStream } from './port-stream.js';
import type { BrokerCall, BrokerCalls, BrokerThreadData, FromBroker, ToBroker } from './thread-messages.js';

// The broker thread (see broker-thread.ts): the embedded aedes broker with the hub's admission,
// ACL and limits, handing each authorised publish to the main thread's ingest and acknowledging
// it once the main thread says it is stored.

const port = parentPort as MessagePort;
const data = workerData as BrokerThreadData;
const toMain = new BatchedPort<FromBroker>(port);

const logger = pino(
  { level: data.logLevel, base: null, timestamp: false },
  {
    write: (line: string) => toMain.send({ kind: 'log', line }),
  },
);

const metrics: BrokerMetrics = {
  mqttRejected: { inc: ({ reason }) => toMain.send({ kind: 'count', counter: 'mqttRejected', reason }) },
  mqttConnectionsRefused: {
    inc: ({ reason }) => toMain.send({ kind: 'count', counter: 'mqttConnectionsRefused', reason }),
  },
};

/** Publishes waiting for the main thread's ingest, by id. */
const waiting = new Map<number, { resolve: (outcome: IngestOutcome) => void; reject: (error: Error) => void }>();
let nextId = 0;

const db = openReadOnly(data.dbFile);
const broker = new MqttBroker({
  ...data.settings,
  tls: data.tls,
  devices: new DeviceRepository(db),
  ingest: {
    receive: (device, topic, payload) =>
      new Promise<IngestOutcome>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        toMain.send({ kind: 'ingest', id, device, topic, payload: payload.toString('utf8') });
      }),
  },
  metrics,
  logger,
});

const calls: { [M in keyof BrokerCalls]: (...args: BrokerCalls[M]['args']) => unknown } = {
  sendCommand: (homeId, deviceId, command) => broker.sendCommand(homeId, deviceId, command),
  disconnectDevice: (deviceId) => broker.disconnectDevice(deviceId),
  homeRemoved: (homeId) => broker.homeRemoved(homeId),
  sessions: () => broker.sessions,
  stop: async () => {
    await broker.stop();
    db.close();
    // The thread ends once its reply is out: nothing else is left to keep it alive.
    port.unref();
  },
};

function answer(call: BrokerCall): void {
  const method = calls[call.method] as (...args: unknown[]) => unknown;
  Promise.resolve()
    .then(() => method(...call.args))
    .then(
      (result) => toMain.send({ kind: 'reply', id: call.id, result }),
      (error: unknown) =>
        toMain.send({ kind: 'reply', id: call.id, error: error instanceof Error ? error.message : String(error) }),
    );
}

function settled(id: number) {
  const pending = waiting.get(id);
  waiting.delete(id);
  return pending;
}

port.on('message', (batch: ToBroker[]) => {
  for (const message of batch) {
    switch (message.kind) {
      case 'call':
        answer(message);
        break;
      case 'ingested':
        settled(message.id)?.resolve(message.outcome);
        break;
      case 'ingestFailed': {
        const { message: why, storeCode } = message.failure;
        // The policy answers a store outage differently (the device must resend): keep its kind.
        settled(message.id)?.reject(storeCode === undefined ? new Error(why) : new StoreUnavailable(storeCode, why));
        break;
      }
      case 'webSocket':
        broker.accept(portStream(message.port), message.address);
        break;
    }
  }
});

await broker.start();
toMain.send({ kind: 'listening', port: broker.port });

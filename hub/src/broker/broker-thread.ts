import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { DeviceCommand } from '@mimamori/contract';
import type { Level, Logger } from 'pino';
import { createWebSocketStream, type WebSocketServer } from 'ws';
import { StoreUnavailable, type Ingest } from '../ingest/index.js';
import { BatchedPort } from './batched-port.js';
import type { BrokerMetrics } from './broker-metrics.js';
import type { DeviceBroker } from './device-broker.js';
import type { MqttBrokerSettings } from './mqtt-broker.js';
import { mqttWebSocketServer } from './mqtt-websockets.js';
import { portStream } from './port-stream.js';
import type { BrokerCall, BrokerCalls, BrokerThreadData, FromBroker, ToBroker } from './thread-messages.js';

/**
 * The compiled worker, found from the sources as from the build (`src/` and `dist/` are
 * siblings): tests run the hub's TypeScript sources, but a thread can only run JavaScript.
 */
const WORKER = fileURLToPath(new URL('../../dist/broker/broker-worker.js', import.meta.url));

export interface BrokerThreadDeps {
  settings: MqttBrokerSettings;
  tls: { cert: Buffer; key: Buffer } | undefined;
  /** The store file, which the thread reads devices' credentials from. */
  dbFile: string;
  ingest: Pick<Ingest, 'receive'>;
  metrics: BrokerMetrics;
  logger: Logger;
}

interface PendingCall {
  resolve: (result: never) => void;
  reject: (error: Error) => void;
}

/**
 * The embedded broker (`MqttBroker`) on a thread of its own: MQTT's parsing, authentication,
 * ACL, limits and sessions use a second core, while this thread keeps the journal, the rules
 * and the API. Each authorised publish crosses to this thread's `ingest`, and its PUBACK waits
 * until the answer crosses back: a QoS 1 event is still acknowledged only once it is committed.
 * Refusals are counted in the hub's metrics and logged by its logger, as on one thread.
 */
export class BrokerThread implements DeviceBroker {
  readonly #webSockets: WebSocketServer;
  #worker: Worker | undefined;
  #link: BatchedPort<ToBroker> | undefined;
  #port = 0;
  #sessions = 0;
  #stopping = false;
  #nextCall = 0;
  readonly #calls = new Map<number, PendingCall>();

  constructor(private readonly deps: BrokerThreadDeps) {
    this.#webSockets = mqttWebSocketServer(deps.settings.maxPacketBytes);
  }

  get port(): number {
    return this.#port;
  }

  get ready(): boolean {
    return this.#port > 0;
  }

  /** Persistent sessions the thread kept when last asked (`syncMetrics`). */
  get sessions(): number {
    return this.#sessions;
  }

  async start(): Promise<void> {
    if (this.#worker) return;
    if (!existsSync(WORKER)) throw new Error(`the broker thread's script is missing (${WORKER}): run npm run build`);
    const { settings, tls, dbFile, logger } = this.deps;
    const workerData: BrokerThreadData = { settings, tls, dbFile, logLevel: logger.level };
    const worker = new Worker(WORKER, { workerData });
    this.#worker = worker;
    this.#link = new BatchedPort<ToBroker>(worker);
    this.#stopping = false;
    try {
      this.#port = await new Promise<number>((resolve, reject) => {
        worker.on('message', (batch: FromBroker[]) => this.#received(batch, resolve));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`the broker thread stopped at start (exit code ${code})`)));
      });
    } catch (error) {
      this.#detach(error as Error);
      await worker.terminate();
      throw error;
    }
    worker.removeAllListeners('error').removeAllListeners('exit');
    // From here a failure of the thread is the hub's: devices can no longer reach it.
    worker.on('error', (error) => {
      logger.fatal({ err: error }, 'the broker thread failed');
      throw error;
    });
    worker.on('exit', (code) => {
      const stopped = new Error(`the broker thread stopped (exit code ${code})`);
      const expected = this.#stopping;
      this.#detach(stopped);
      if (expected) return;
      logger.fatal({ code }, 'the broker thread stopped');
      throw stopped;
    });
  }

  async stop(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    this.#stopping = true;
    for (const ws of this.#webSockets.clients) ws.terminate();
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    try {
      await this.#call('stop');
      await exited;
    } finally {
      this.#detach(new Error('the broker is not running'));
      await worker.terminate();
    }
  }

  /** Forgets the thread, and fails the calls still waiting for it: nothing will answer them. */
  #detach(why: Error): void {
    this.#worker = undefined;
    this.#link = undefined;
    this.#port = 0;
    for (const call of this.#calls.values()) call.reject(why);
    this.#calls.clear();
  }

  /** Relays an HTTP upgrade request for MQTT over WebSocket to the broker thread. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#webSockets.handleUpgrade(request, socket, head, (ws) => {
      const link = this.#link;
      if (!link) return ws.terminate();
      const { port1, port2 } = new MessageChannel();
      const here = createWebSocketStream(ws);
      const there = portStream(port1);
      // Either end closing or failing ends the connection at both (a write after the close is an error).
      const end = () => {
        here.destroy();
        there.destroy();
      };
      for (const side of [here, there]) side.on('error', end).once('close', end);
      here.pipe(there).pipe(here);
      link.sendTransferring({ kind: 'webSocket', port: port2, address: request.socket.remoteAddress }, [port2]);
    });
  }

  async sendCommand(homeId: string, deviceId: string, command: DeviceCommand): Promise<void> {
    await this.#call('sendCommand', homeId, deviceId, command);
  }

  async disconnectDevice(deviceId: string): Promise<number> {
    return this.#worker ? this.#call('disconnectDevice', deviceId) : 0;
  }

  // A new home's devices are let in by the ACL as soon as they have credentials.
  homeAdded(): void {}

  homeRemoved(homeId: string): void {
    if (!this.#worker) return;
    this.#call('homeRemoved', homeId).catch((error: unknown) =>
      this.deps.logger.error({ err: error, homeId }, "cannot close a deleted home's connections"),
    );
  }

  /**
   * Brings the hub's metrics up to date with the thread: the answer comes after every count
   * the thread posted before it, and carries its session count. Called before each scrape.
   */
  async syncMetrics(): Promise<void> {
    if (this.#worker) this.#sessions = await this.#call('sessions');
  }

  #call<M extends keyof BrokerCalls>(method: M, ...args: BrokerCalls[M]['args']): Promise<BrokerCalls[M]['result']> {
    const link = this.#link;
    // Once stopping, the thread may end before it reads a call: only the stop itself is sent.
    if (!link || (this.#stopping && method !== 'stop')) return Promise.reject(new Error('the broker is not running'));
    const id = this.#nextCall++;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject });
      link.send({ kind: 'call', id, method, args } as BrokerCall);
    });
  }

  #received(batch: FromBroker[], listening: (port: number) => void): void {
    for (const message of batch) {
      switch (message.kind) {
        case 'ingest':
          this.#ingest(message);
          break;
        case 'reply': {
          const call = this.#calls.get(message.id);
          this.#calls.delete(message.id);
          if (message.error === undefined) call?.resolve(message.result as never);
          else call?.reject(new Error(message.error));
          break;
        }
        case 'count':
          this.deps.metrics[message.counter].inc({ reason: message.reason });
          break;
        case 'log':
          this.#log(message.line);
          break;
        case 'listening':
          listening(message.port);
          break;
      }
    }
  }

  #ingest({ id, device, topic, payload }: Extract<FromBroker, { kind: 'ingest' }>): void {
    // The answer goes to the thread that asked (ids are that thread's own), never to a later one.
    const link = this.#link;
    this.deps.ingest.receive(device, topic, payload).then(
      (outcome) => link?.send({ kind: 'ingested', id, outcome }),
      (error: unknown) =>
        link?.send({
          kind: 'ingestFailed',
          id,
          failure: {
            message: error instanceof Error ? error.message : String(error),
            storeCode: error instanceof StoreUnavailable ? error.code : undefined,
          },
        }),
    );
  }

  /** A line of the thread's logger, written by the hub's (at the level the thread gave it). */
  #log(line: string): void {
    const { level, msg, ...fields } = JSON.parse(line) as { level: number; msg?: string };
    const { logger } = this.deps;
    logger[(logger.levels.labels[level] ?? 'info') as Level](fields, msg);
  }
}

import type { AuthenticateError, Client } from 'aedes';
import type { Logger } from 'pino';
import type { DevicePrincipal, DeviceRepository } from '../store/index.js';
import { clientIdMatches } from './acl.js';
import type { BrokerMetrics } from './broker-metrics.js';
import { ConnectBackoff, DEFAULT_CONNECT_BACKOFF, type ConnectWarning } from './connect-backoff.js';
import { PROTOTYPE_NAMES } from './packet-screen.js';
import { CONNACK, connackError } from './refusals.js';
import { KeyedBuckets } from './token-bucket.js';

export interface AdmissionLimits {
  maxConnectionsPerDevice: number;
  connectsPerDevicePerMinute: number;
  connectBurstPerDevice: number;
  failedConnectsBeforeBackoff: number;
}

export interface AdmissionDeps {
  limits: AdmissionLimits;
  devices: Pick<DeviceRepository, 'authenticate'>;
  /** Publish budgets by device: a will is a publish, and is paid for when it is set. */
  publishBudgets: KeyedBuckets;
  metrics: BrokerMetrics;
  logger: Logger;
  /** Monotonic milliseconds. */
  now: () => number;
}

type Done = (error: AuthenticateError | null, success: boolean | null) => void;

/**
 * Who may connect (PROTOCOL.md, Authentication; docs/security.md): the device's own
 * credentials, its client id, and the limits of issue 23 — checked in this order, each cheaper
 * or more telling than the next:
 *
 * 1. an address that keeps failing waits (`ConnectBackoff`), its secrets unchecked meanwhile;
 * 2. the secret (CONNACK 4 / 0x86);
 * 3. the client id: the device id or `{deviceId}:…` (CONNACK 2 / 0x85);
 * 4. open connections per device, then CONNECTs per device a minute (CONNACK 3 / 0x88);
 * 5. a will is charged to the device's publish budget now, when it is set: published later
 *    (a socket reset), it used to bypass the budget — 3,000 events in 4 s from one device.
 */
export class DeviceAdmission {
  readonly #principals = new WeakMap<Client, DevicePrincipal>();
  /**
   * Clients whose credentials were accepted, by device, until their connection closes: the
   * per-device connection limit counts them, and a changed secret closes them even mid-CONNECT.
   */
  readonly #admitted = new Map<string, Set<Client>>();
  readonly #connectBudgets: KeyedBuckets;
  readonly #backoff: ConnectBackoff;

  constructor(private readonly deps: AdmissionDeps) {
    this.#connectBudgets = new KeyedBuckets(deps.limits.connectsPerDevicePerMinute, deps.limits.connectBurstPerDevice);
    this.#backoff = new ConnectBackoff({
      ...DEFAULT_CONNECT_BACKOFF,
      freeFailures: deps.limits.failedConnectsBeforeBackoff,
    });
  }

  /** The device a connected client speaks for. */
  principal(client: Client): DevicePrincipal | undefined {
    return this.#principals.get(client);
  }

  /** The device's clients admitted and not yet closed. */
  clientsOf(deviceId: string): Client[] {
    return [...(this.#admitted.get(deviceId) ?? [])];
  }

  /** Every admitted client. */
  allClients(): Client[] {
    return [...this.#admitted.values()].flatMap((clients) => [...clients]);
  }

  /** aedes' `authenticate`: `address` is the socket's, `hasWill` whether the CONNECT carries a will. */
  authenticate(
    client: Client,
    address: string,
    hasWill: boolean,
    username: string | undefined,
    password: Buffer | undefined,
    done: Done,
  ): void {
    const now = this.deps.now();
    if (!this.#backoff.mayTry(address, username, now)) {
      this.#warn(this.#backoff.refused(address, now));
      return this.#refuse(done, 'backoff', 'too many failed CONNECTs from this address', CONNACK.serverUnavailable);
    }
    const device =
      username && password ? this.deps.devices.authenticate(username, password.toString('utf8')) : undefined;
    if (!device) {
      this.#warn(this.#backoff.failed(address, now));
      return this.#refuse(done, 'bad_credentials', 'bad username or password', CONNACK.badCredentials);
    }
    this.#backoff.succeeded(address, device.deviceId);
    // PROTOTYPE_NAMES: a client id `constructor` makes aedes 2.0.0-beta.1 throw in registerClient (packet-screen.ts).
    if (!clientIdMatches(device, client.id) || PROTOTYPE_NAMES.has(client.id)) {
      return this.#refuse(
        done,
        'client_id',
        `client id must be ${device.deviceId} or ${device.deviceId}:…`,
        CONNACK.identifierRejected,
      );
    }
    // A reconnect under the same client id takes over (and closes) its old connection, so that one does not count.
    const others = this.clientsOf(device.deviceId).filter((other) => other.id !== client.id && !other.closed);
    if (others.length >= this.deps.limits.maxConnectionsPerDevice) {
      this.deps.logger.warn(
        { deviceId: device.deviceId, connections: others.length },
        'mqtt connection refused: the device holds all the connections it may',
      );
      return this.#refuse(
        done,
        'too_many_connections',
        `device ${device.deviceId} already has ${others.length} connections`,
        CONNACK.serverUnavailable,
      );
    }
    if (!this.#connectBudgets.take(device.deviceId, now)) {
      this.deps.logger.warn({ deviceId: device.deviceId }, 'mqtt connection refused: the device reconnects too often');
      return this.#refuse(
        done,
        'connect_rate_limited',
        `device ${device.deviceId} connects too often`,
        CONNACK.serverUnavailable,
      );
    }
    if (hasWill && !this.deps.publishBudgets.take(device.deviceId, now)) {
      this.deps.logger.warn(
        { deviceId: device.deviceId },
        'mqtt connection refused: its will is over the publish rate',
      );
      return this.#refuse(
        done,
        'will_rate_limited',
        `device ${device.deviceId} is over its publish rate; its will would be one more`,
        CONNACK.serverUnavailable,
      );
    }
    this.#admit(client, device);
    done(null, true);
  }

  #admit(client: Client, device: DevicePrincipal): void {
    this.#principals.set(client, device);
    const clients = this.#admitted.get(device.deviceId) ?? new Set<Client>();
    this.#admitted.set(device.deviceId, clients);
    clients.add(client);
    client.conn.once('close', () => {
      clients.delete(client);
      if (clients.size === 0 && this.#admitted.get(device.deviceId) === clients) this.#admitted.delete(device.deviceId);
    });
  }

  #refuse(done: Done, reason: string, message: string, returnCode: number): void {
    this.deps.metrics.mqttConnectionsRefused.inc({ reason });
    done(connackError(message, returnCode), false);
  }

  #warn(warning: ConnectWarning | undefined): void {
    if (warning)
      this.deps.logger.warn(
        { address: warning.address, attempts: warning.attempts, waitSeconds: warning.waitSeconds },
        'mqtt CONNECTs with wrong credentials from this address',
      );
  }
}

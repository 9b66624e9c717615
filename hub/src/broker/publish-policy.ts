import type { Client, PublishPacket, Subscription } from 'aedes';
import type { Logger } from 'pino';
import { parseTopic, type ParsedTopic } from '@mimamori/contract';
import { StoreUnavailable, type Ingest } from '../ingest/index.js';
import type { DevicePrincipal, DeviceRepository } from '../store/index.js';
import { mayPublish, maySubscribe } from './acl.js';
import type { BrokerMetrics } from './broker-metrics.js';
import { REASON, disconnectWith } from './refusals.js';
import type { KeyedBuckets } from './token-bucket.js';

export interface PublishPolicyDeps {
  maxSubscriptionsPerConnection: number;
  receiveMaximum: number;
  /** Publish budgets by device, shared by its connections so that reconnecting does not refill them. */
  publishBudgets: KeyedBuckets;
  principal: (client: Client) => DevicePrincipal | undefined;
  devices: Pick<DeviceRepository, 'principal'>;
  ingest: Pick<Ingest, 'receive'>;
  metrics: BrokerMetrics;
  logger: Logger;
  now: () => number;
}

type Done = (error?: Error | null) => void;

/**
 * What a connected device may publish and subscribe to, and ingest inside `authorizePublish`:
 * aedes sends PUBACK only after that callback, so a QoS 1 event is acknowledged only once it
 * is committed. How a refusal looks depends on the protocol version (docs/protocol.md):
 * 3.1.1 has no way to say why, so the connection closes; MQTT 5 is told with a reason code.
 */
export class PublishPolicy {
  /** Topic filters each connection has asked for so far. */
  readonly #filtersAsked = new WeakMap<Client, number>();
  /** QoS 1/2 messages of each v5 connection between arrival and acknowledgement. */
  readonly #inFlight = new WeakMap<Client, number>();
  /** Packets ingest rejected: never retained or forwarded, so nothing else happens to them. */
  readonly #rejected = new WeakSet<object>();
  /** Connections being closed for a refusal, until they are. */
  readonly #closing = new WeakMap<Client, Promise<void>>();

  constructor(private readonly deps: PublishPolicyDeps) {}

  /** aedes' authorizeForward: a message ingest rejected or ignored goes nowhere. */
  forward<P extends object>(packet: P): P | null {
    return this.#rejected.has(packet) ? null : packet;
  }

  authorizePublish(client: Client | null, packet: PublishPacket, done: Done): void {
    // aedes hands a will to authorizePublish as the very object it keeps as `client.will` (lib/client.js).
    const isWill = client === null || packet === (client as Client & { will?: unknown }).will;
    const device = this.#publisher(client, packet, isWill);
    if (!client || isWill) return this.#authorized(device, packet, done);
    // Packets that came in the same read as the refused one are answered once the connection is closed: never.
    const closing = this.#closing.get(client);
    if (closing) return void closing.then(() => done(new Error('the connection is being closed')));
    if (packet.qos > 0 && packet.messageId === 0) {
      this.#count('protocol_violation', device, packet.topic);
      return this.#closeThen(
        client,
        REASON.protocolError,
        done,
        'QoS 1 PUBLISH with packet identifier 0 [MQTT-2.3.1-1]',
      );
    }
    if (device && !this.deps.publishBudgets.take(device.deviceId, this.deps.now())) {
      // No PUBACK: a QoS 1 message is kept by its device and sent again later, so nothing is lost.
      this.#count('rate_limited', device, packet.topic);
      return this.#closeThen(client, REASON.quotaExceeded, done, `device ${device.deviceId} is over its publish rate`);
    }
    if (client.version === 5 && packet.qos > 0) {
      const inFlight = (this.#inFlight.get(client) ?? 0) + 1;
      if (inFlight > this.deps.receiveMaximum) {
        // [MQTT-3.3.4-9]: more unacknowledged QoS 1 messages than the Receive Maximum the hub advertised.
        this.#count('receive_maximum_exceeded', device, packet.topic);
        return this.#closeThen(client, REASON.receiveMaximumExceeded, done, 'receive maximum exceeded');
      }
      this.#inFlight.set(client, inFlight);
      return this.#authorized(device, packet, (error) => {
        this.#inFlight.set(client, (this.#inFlight.get(client) ?? 1) - 1);
        this.#answer(client, error, done);
      });
    }
    this.#authorized(device, packet, (error) => this.#answer(client, error, done));
  }

  authorizeSubscribe(
    client: Client,
    subscription: Subscription,
    done: (error: Error | null, subscription?: Subscription | null) => void,
  ): void {
    const device = this.deps.principal(client);
    const asked = (this.#filtersAsked.get(client) ?? 0) + 1;
    this.#filtersAsked.set(client, asked);
    const limit = this.deps.maxSubscriptionsPerConnection;
    if (asked > limit) {
      // Each filter costs an ACL check, a log line and a count: a client asking for thousands is closed.
      if (asked === limit + 1) this.#count('too_many_subscriptions', device, subscription.topic);
      const error = new Error(`more than ${limit} topic filters on one connection`);
      if (client.version === 5) return void this.#close(client, REASON.quotaExceeded).then(() => done(error, null));
      return done(error, null);
    }
    if (device && maySubscribe(device, subscription.topic)) return done(null, subscription);
    this.#count('subscribe_denied', device, subscription.topic);
    done(null, null); // SUBACK 0x80 (v5: 0x87) for this filter; the connection stays up
  }

  /**
   * Closes a connection for a refusal, once however many of its packets are refused, and
   * answers the packet only when it is closed: no acknowledgement can reach the device.
   */
  #close(client: Client, reasonCode: number): Promise<void> {
    let closing = this.#closing.get(client);
    if (!closing) {
      closing = disconnectWith(client, reasonCode);
      this.#closing.set(client, closing);
    }
    return closing;
  }

  #closeThen(client: Client, reasonCode: number, done: Done, why: string): void {
    void this.#close(client, reasonCode).then(() => done(new Error(why)));
  }

  /** Counts and logs a refusal. */
  #count(reason: string, device: DevicePrincipal | undefined, topic: string): void {
    this.deps.metrics.mqttRejected.inc({ reason });
    this.deps.logger.warn({ reason, deviceId: device?.deviceId, topic }, 'mqtt request refused');
  }

  /**
   * How a publish that was not stored is answered. 3.1.1: aedes closes the connection on the
   * error, without PUBACK ([MQTT-3.3.5-2] for a refusal; the device resends what the store
   * failed to take). MQTT 5: aedes would answer any error with PUBACK 0x87, which settles the
   * message — right for a refusal (resending cannot help), then DISCONNECT 0x87, as a 3.1.1
   * device's misbehaviour costs it its connection; but a store failure must not be settled,
   * so that connection is closed first (DISCONNECT 0x89 Server busy) and the device resends.
   */
  #answer(client: Client, error: Error | null | undefined, done: Done): void {
    if (!error || client.version !== 5) return done(error);
    if (error instanceof NotAuthorized) {
      done(error);
      void this.#close(client, REASON.notAuthorized);
      return;
    }
    void this.#close(client, REASON.serverBusy).then(() => done(error));
  }

  #authorized(device: DevicePrincipal | undefined, packet: PublishPacket, done: Done): void {
    if (!device || !mayPublish(device, packet.topic)) {
      this.#count('publish_denied', device, packet.topic);
      return done(new NotAuthorized(`not authorised to publish to ${packet.topic}`));
    }
    const topic = parseTopic(packet.topic);
    if (!topic) {
      // The gateway's Zigbee2MQTT publishes under z2m/# its own topics too (bridge/state, {name}/availability):
      // allowed, acknowledged, and ignored (docs/protocol.md), never retained or forwarded.
      this.#ignore(packet);
      return done(null);
    }
    this.#ingest(device, topic, packet, done);
  }

  /**
   * Who a PUBLISH speaks for. A will is authorised like a publish of its client's device
   * (PROTOCOL.md), and only while that device still exists. A will aedes publishes with no
   * client (one persisted by a broker that died) speaks for the device its client id names:
   * the id was bound to the credentials at CONNECT — never the device its topic names.
   */
  #publisher(client: Client | null, packet: PublishPacket, isWill: boolean): DevicePrincipal | undefined {
    const persistedClientId = (packet as PublishPacket & { clientId?: unknown }).clientId;
    const device = client
      ? this.deps.principal(client)
      : typeof persistedClientId === 'string'
        ? this.deps.devices.principal(persistedClientId.split(':')[0] ?? '')
        : undefined;
    if (device && isWill && !this.deps.devices.principal(device.deviceId)) return undefined;
    return device;
  }

  #ignore(packet: PublishPacket): void {
    this.#rejected.add(packet);
    packet.retain = false;
  }

  #ingest(device: DevicePrincipal, topic: ParsedTopic, packet: PublishPacket, done: Done): void {
    this.deps.ingest.receive(device, topic, packet.payload as Buffer).then(
      (outcome) => {
        if (outcome === 'rejected' || outcome === 'ignored') this.#ignore(packet);
        done(null);
      },
      (error: unknown) => {
        // Not stored, so not acknowledged: the device keeps the message and sends it again.
        this.deps.metrics.mqttRejected.inc({ reason: 'store_unavailable' });
        // Ingest logged the store's outage once, loudly; a line for each refusal would repeat it with every resend.
        if (error instanceof StoreUnavailable)
          this.deps.logger.debug(
            { deviceId: device.deviceId, code: error.code },
            'event refused: the store is unavailable',
          );
        else this.deps.logger.error({ err: error, deviceId: device.deviceId }, 'cannot store event; refusing it');
        done(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }
}

/** A publish outside the device's topics (as opposed to one that could not be stored). */
class NotAuthorized extends Error {}

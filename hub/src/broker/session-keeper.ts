import type { Readable } from 'node:stream';
import type { Aedes, Client } from 'aedes';
import type { Logger } from 'pino';
import type { DevicePrincipal } from '../store/index.js';
import { SessionRegistry } from './session-registry.js';

/**
 * The part of aedes' memory persistence that holds a session once its client has gone:
 * subscriptions and queued messages keyed by client id, the will by client and broker id.
 * Called without callbacks, as aedes 2 calls it, it answers with promises (its typings only
 * describe the callback forms).
 */
interface SessionStore {
  cleanSubscriptions(client: { id: string }): Promise<unknown>;
  delWill(client: { id: string; brokerId: string }): Promise<unknown>;
  outgoingStream(client: { id: string }): Readable;
  outgoingClearMessageId(client: { id: string }, packet: unknown): Promise<unknown>;
}

/** aedes 2 (beta) keeps a timer per expiring v5 session; ending one ourselves clears it (a no-op on 3.1.1). */
type ExpiringSessions = { clearSessionExpiry?: (clientId: string) => void };

export interface SessionKeeperDeps {
  aedes: Aedes;
  limits: { maxPerDevice: number; idleMs: number };
  principal: (client: Client) => DevicePrincipal | undefined;
  now: () => number;
  logger: Logger;
}

/** How often idle sessions are looked for: often enough that one outlives its limit by at most a tenth. */
const SWEEP_MAX_MS = 60_000;

/**
 * Keeps the embedded broker's persistent sessions within `SessionRegistry`'s bounds: follows
 * aedes' connects and disconnects, and ends the sessions the registry gives up (the longest
 * idle of a device past its bound, and any idle past the limit) by removing their
 * subscriptions, queued messages and will from aedes' persistence.
 */
export class SessionKeeper {
  readonly #registry: SessionRegistry;
  readonly #store: SessionStore;
  #sweep: NodeJS.Timeout | undefined;

  constructor(private readonly deps: SessionKeeperDeps) {
    this.#registry = new SessionRegistry(deps.limits);
    // aedes' default persistence (aedes-persistence's memory store), set up by Aedes.createBroker.
    this.#store = (deps.aedes as Aedes & { persistence: SessionStore }).persistence;
  }

  get size(): number {
    return this.#registry.size;
  }

  start(): void {
    const { aedes } = this.deps;
    aedes.on('clientReady', (client) => {
      const device = this.deps.principal(client);
      if (!device) return;
      const ended = this.#registry.connected(device.deviceId, client.id, !client.clean, this.deps.now());
      for (const id of ended) this.#end(id, 'the device keeps too many sessions');
    });
    aedes.on('clientDisconnect', (client) => this.#registry.disconnected(client.id, this.deps.now()));
    aedes.on('sessionExpired', (client) => this.#registry.ended(client.id));
    const every = Math.min(SWEEP_MAX_MS, Math.max(100, this.deps.limits.idleMs / 10));
    this.#sweep = setInterval(() => {
      for (const id of this.#registry.expire(this.deps.now())) this.#end(id, 'idle for too long');
    }, every);
    this.#sweep.unref();
  }

  stop(): void {
    clearInterval(this.#sweep);
    this.#sweep = undefined;
  }

  #end(clientId: string, why: string): void {
    const { aedes, logger } = this.deps;
    (aedes as Aedes & ExpiringSessions).clearSessionExpiry?.(clientId);
    const client = { id: clientId, brokerId: aedes.id };
    Promise.all([this.#store.cleanSubscriptions(client), this.#store.delWill(client), this.#clearQueue(client)]).then(
      () => logger.debug({ clientId, why }, 'mqtt session ended'),
      (error: unknown) => logger.error({ err: error, clientId }, 'cannot end an mqtt session'),
    );
  }

  async #clearQueue(client: { id: string }): Promise<void> {
    for await (const packet of this.#store.outgoingStream(client))
      await this.#store.outgoingClearMessageId(client, packet);
  }
}

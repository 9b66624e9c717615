interface StoredSession {
  deviceId: string;
  connected: boolean;
  /** Monotonic milliseconds of the last connect or disconnect. */
  lastSeen: number;
}

/**
 * The persistent MQTT sessions the embedded broker keeps, by device (issue 23): a device that
 * connects with `clean: false` (or a v5 session expiry) under ever-new client ids
 * (`{deviceId}:{anything}`, firmware that makes one up at each boot) left a session behind
 * each time, each queueing a copy of every command — 8,750 of one speaker raised the hub's
 * RSS by 26 MiB. At most `maxPerDevice` are kept, the longest idle go first (never one that is
 * connected: the connection cap keeps those fewer), and one idle for `idleMs` ends. Pure: it
 * says which sessions to end; the broker ends them. Time is monotonic milliseconds.
 */
export class SessionRegistry {
  readonly #sessions = new Map<string, StoredSession>();
  readonly #byDevice = new Map<string, Set<string>>();

  constructor(private readonly limits: { maxPerDevice: number; idleMs: number }) {}

  /** Sessions kept, connected or not. */
  get size(): number {
    return this.#sessions.size;
  }

  /**
   * A client connected. A clean session replaces whatever was kept under its id; a persistent
   * one is kept. Returns the client ids whose sessions must end to stay within the bound.
   */
  connected(deviceId: string, clientId: string, persistent: boolean, now: number): string[] {
    if (!persistent) {
      this.ended(clientId);
      return [];
    }
    this.#sessions.set(clientId, { deviceId, connected: true, lastSeen: now });
    const ids = this.#byDevice.get(deviceId) ?? new Set<string>();
    this.#byDevice.set(deviceId, ids);
    ids.add(clientId);
    const idle = [...ids]
      .map((id) => ({ id, session: this.#sessions.get(id) }))
      .filter((s) => s.session && !s.session.connected)
      .sort((a, b) => (a.session?.lastSeen ?? 0) - (b.session?.lastSeen ?? 0));
    const evicted = idle.slice(0, Math.max(0, ids.size - this.limits.maxPerDevice)).map((s) => s.id);
    for (const id of evicted) this.ended(id);
    return evicted;
  }

  /** A client with a kept session disconnected: its session starts to idle. */
  disconnected(clientId: string, now: number): void {
    const session = this.#sessions.get(clientId);
    if (!session) return;
    session.connected = false;
    session.lastSeen = now;
  }

  /** A session ended (a clean connect, the broker's own expiry, or ours). */
  ended(clientId: string): void {
    const session = this.#sessions.get(clientId);
    if (!session) return;
    this.#sessions.delete(clientId);
    const ids = this.#byDevice.get(session.deviceId);
    ids?.delete(clientId);
    if (ids?.size === 0) this.#byDevice.delete(session.deviceId);
  }

  /** Ends every session idle for longer than the limit; returns their client ids. */
  expire(now: number): string[] {
    const expired = [...this.#sessions]
      .filter(([, s]) => !s.connected && now - s.lastSeen >= this.limits.idleMs)
      .map(([id]) => id);
    for (const id of expired) this.ended(id);
    return expired;
  }
}

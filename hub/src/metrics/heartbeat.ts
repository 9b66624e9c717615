import type { Logger } from 'pino';

export interface HeartbeatDeps {
  url: string;
  intervalMs: number;
  /** Only a hub whose broker and store work calls in; a hub that is up but broken stays silent. */
  healthy: () => Promise<boolean>;
  /** The audit log's head hash, sent along so that the watchdog's log anchors the chain outside the hub. */
  auditHead: () => string | null;
  logger: Logger;
}

/**
 * The dead-man's switch (docs/operations.md): the hub calls a URL of an outside watchdog
 * (healthchecks.io, Uptime Kuma, a municipality's monitoring) every interval, and the watchdog
 * raises the alarm when the calls stop — the one failure the hub cannot report itself.
 */
export class Heartbeat {
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: HeartbeatDeps) {}

  start(): void {
    void this.#beat();
    this.#timer = setInterval(() => void this.#beat(), this.deps.intervalMs);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #beat(): Promise<void> {
    const { url, healthy, auditHead, logger } = this.deps;
    if (!(await healthy().catch(() => false))) {
      logger.warn('not healthy: heartbeat withheld, so the watchdog will notice');
      return;
    }
    try {
      const response = await fetch(url, {
        headers: { 'x-mimamori-audit-head': auditHead() ?? '' },
        signal: AbortSignal.timeout(Math.min(10_000, this.deps.intervalMs)),
      });
      if (!response.ok) logger.warn({ status: response.status }, 'the heartbeat URL answered with an error');
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'the heartbeat URL could not be reached');
    }
  }
}

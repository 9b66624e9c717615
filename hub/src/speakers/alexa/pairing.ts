import { randomInt } from 'node:crypto';
import type { Clock } from '@mimamori/contract';
import type { Logger } from 'pino';
import type { Metrics } from '../../metrics/index.js';
import type { EchoContact, PairedEcho, Stores } from '../../store/index.js';

export type PairingResult =
  { kind: 'paired'; echo: PairedEcho } | { kind: 'unknown' | 'expired' | 'used' | 'throttled' | 'already_paired' };

/** How Alexa introduces the Echo that says a code. */
export interface EchoIdentity extends EchoContact {
  alexaDeviceId: string;
}

export interface PairingDeps {
  stores: Pick<Stores, 'devices' | 'alexaEchos' | 'pairingCodes' | 'transaction'>;
  /** How long a code may be used after it is issued. */
  codeMinutes: number;
  clock: Clock;
  metrics: Metrics;
  logger: Logger;
}

const HOUR = 3_600_000;
/**
 * Failed codes allowed per Alexa account, and in all, per hour. A code is six digits, so a
 * stranger's Echo guessing at the hub's few live codes gets five tries an hour (1 in 180,000 per
 * live code), and many strangers together thirty; the codes also expire and serve once.
 */
const FAILURES_PER_ACCOUNT = 5;
const FAILURES_IN_ALL = 30;
const MAX_TRACKED_ACCOUNTS = 1000;

/**
 * Pairs an Echo to a home with a one-time code that staff see in the console and the resident
 * (or the installer) says once to the skill: six digits, never starting with 0 (Alexa's number
 * slot drops a leading zero), spoken digit by digit or as a number.
 */
export class Pairing {
  readonly #failures = new Map<string, number[]>();

  constructor(private readonly deps: PairingDeps) {}

  issue(homeId: string, issuedBy: string): { code: string; expiresAt: number } {
    const issuedAt = this.deps.clock.now();
    const expiresAt = issuedAt + this.deps.codeMinutes * 60_000;
    for (;;) {
      const code = String(randomInt(100_000, 1_000_000));
      if (this.deps.stores.pairingCodes.issue({ code, homeId, issuedBy, issuedAt, expiresAt }))
        return { code, expiresAt };
    }
  }

  redeem(spoken: string, echo: EchoIdentity): PairingResult {
    const { stores, clock, metrics, logger } = this.deps;
    const now = clock.now();
    const result = ((): PairingResult => {
      if (stores.alexaEchos.byAlexaDevice(echo.alexaDeviceId)) return { kind: 'already_paired' };
      if (this.#throttled(echo.alexaUserId, now)) return { kind: 'throttled' };
      const code = spoken.replace(/\D/g, '');
      return stores.transaction((): PairingResult => {
        const found = stores.pairingCodes.lookup(code, now);
        if (found.kind !== 'valid') return found;
        const device = stores.devices.create({ homeId: found.homeId, kind: 'alexa', name: 'Amazon Echo' }, now);
        stores.alexaEchos.pair({ ...echo, deviceId: device.id, pairedAt: now });
        stores.pairingCodes.use(code, device.id, now);
        return { kind: 'paired', echo: stores.alexaEchos.get(device.id) as PairedEcho };
      });
    })();
    metrics.alexaPairings.inc({ result: result.kind });
    if (result.kind === 'paired') {
      logger.info({ homeId: result.echo.homeId, deviceId: result.echo.deviceId }, 'an Echo was paired');
    } else if (result.kind !== 'already_paired') {
      if (result.kind !== 'throttled') this.#failed(echo.alexaUserId, now);
      logger.warn({ result: result.kind, alexaUserId: echo.alexaUserId }, 'an Echo could not be paired');
    }
    return result;
  }

  #throttled(account: string, now: number): boolean {
    const recent = (key: string) => (this.#failures.get(key) ?? []).filter((at) => at > now - HOUR);
    return recent(account).length >= FAILURES_PER_ACCOUNT || recent('*').length >= FAILURES_IN_ALL;
  }

  #failed(account: string, now: number): void {
    // Accounts whose failures are all older than the hour are forgotten, so the map stays small.
    if (this.#failures.size > MAX_TRACKED_ACCOUNTS)
      for (const [key, times] of this.#failures) if (times.every((at) => at <= now - HOUR)) this.#failures.delete(key);
    for (const key of [account, '*']) {
      const recent = (this.#failures.get(key) ?? []).filter((at) => at > now - HOUR);
      this.#failures.set(key, [...recent, now]);
    }
  }
}

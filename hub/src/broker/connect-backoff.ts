import { remember } from '../recent-map.js';

export interface ConnectBackoffOptions {
  /** Failed CONNECTs an address may have before it must wait. */
  freeFailures: number;
  /** Failures older than this (since the address's last failure) are forgotten. */
  windowMs: number;
  /** The longest wait; waits double from 1 s with every failure past `freeFailures`. */
  maxBackoffMs: number;
  /** At most one warn line per address per this interval. */
  logIntervalMs: number;
}

export const DEFAULT_CONNECT_BACKOFF: ConnectBackoffOptions = {
  freeFailures: 10,
  windowMs: 10 * 60_000,
  maxBackoffMs: 60_000,
  logIntervalMs: 60_000,
};

/** Addresses and (device, address) pairs kept; beyond it the oldest go (erring towards letting devices in). */
const MAX_TRACKED = 100_000;

interface AddressRecord {
  failures: number;
  lastFailureAt: number;
  waitUntil: number;
  /** Failures and refusals since the last warn line, and when that line was written. */
  unlogged: number;
  loggedAt: number | undefined;
}

/** A warn line to write: how many CONNECTs from the address failed or were refused since the last one. */
export interface ConnectWarning {
  address: string;
  attempts: number;
  waitSeconds: number;
}

/**
 * Back-off of failed MQTT CONNECTs per source address (issue 23): after `freeFailures` wrong
 * credentials an address waits 1 s, then 2 s, 4 s … up to `maxBackoffMs` before its next
 * CONNECT is checked; while it waits, CONNECTs are refused without their secret being looked
 * at, so a guesser gets no answers. A device that has connected from that address before is
 * never held back by it (a home's button behind the same router as a speaker with a stale
 * secret still reports its SOS). Pure: the caller passes monotonic milliseconds.
 */
export class ConnectBackoff {
  readonly #addresses = new Map<string, AddressRecord>();
  /** `deviceId@address` pairs whose credentials were right, most recent last. */
  readonly #knownGood = new Map<string, true>();

  constructor(private readonly options: ConnectBackoffOptions = DEFAULT_CONNECT_BACKOFF) {}

  /** Whether a CONNECT from `address` for `username` may have its secret checked now. */
  mayTry(address: string, username: string | undefined, now: number): boolean {
    const record = this.#addresses.get(address);
    if (!record || now >= record.waitUntil) return true;
    return username !== undefined && this.#knownGood.has(pairKey(username, address));
  }

  /** A CONNECT refused because its address is waiting: counted towards the next warn line. */
  refused(address: string, now: number): ConnectWarning | undefined {
    const record = this.#addresses.get(address);
    if (!record) return undefined;
    record.unlogged += 1;
    return this.#warning(address, record, now);
  }

  /** Wrong credentials from `address`; returns a warn line when one is due. */
  failed(address: string, now: number): ConnectWarning | undefined {
    let record = this.#addresses.get(address);
    if (!record || now - record.lastFailureAt >= this.options.windowMs) {
      record = { failures: 0, lastFailureAt: now, waitUntil: 0, unlogged: 0, loggedAt: record?.loggedAt };
      remember(this.#addresses, address, record, MAX_TRACKED);
    }
    record.failures += 1;
    record.unlogged += 1;
    record.lastFailureAt = now;
    const past = record.failures - this.options.freeFailures;
    if (past > 0) record.waitUntil = now + Math.min(1000 * 2 ** (past - 1), this.options.maxBackoffMs);
    return this.#warning(address, record, now);
  }

  /** Right credentials: this device is known at this address from now on. */
  succeeded(address: string, deviceId: string): void {
    remember(this.#knownGood, pairKey(deviceId, address), true, MAX_TRACKED);
  }

  #warning(address: string, record: AddressRecord, now: number): ConnectWarning | undefined {
    if (record.loggedAt !== undefined && now - record.loggedAt < this.options.logIntervalMs) return undefined;
    const warning = {
      address,
      attempts: record.unlogged,
      waitSeconds: Math.max(0, Math.ceil((record.waitUntil - now) / 1000)),
    };
    record.loggedAt = now;
    record.unlogged = 0;
    return warning;
  }
}

const pairKey = (deviceId: string, address: string) => `${deviceId}@${address}`;

import { remember } from '../recent-map.js';

export interface LoginThrottleOptions {
  /** Failed logins an address may have before each further attempt from it must wait. */
  freeFailuresPerAddress: number;
  /** Failed logins for one username from one address before attempts for it from there must wait. */
  freeFailuresPerPair: number;
  /** The first wait; it doubles with every further failure, up to `maxWaitMs`. */
  firstWaitMs: number;
  maxWaitMs: number;
  /** Failures are forgotten once their key has had none for this long. */
  forgetAfterMs: number;
  /** A successful login makes its address known for its username this long. */
  knownPairMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginThrottleOptions = {
  freeFailuresPerAddress: 10,
  freeFailuresPerPair: 5,
  firstWaitMs: 1000,
  maxWaitMs: 15 * 60_000,
  forgetAfterMs: 15 * 60_000,
  knownPairMs: 30 * 86_400_000,
};

/**
 * Keys kept per map, so that a flood of made-up names or addresses cannot fill memory; beyond it
 * the least recently touched are forgotten (erring towards letting people in).
 */
const MAX_TRACKED = 10_000;

interface Failures {
  count: number;
  lastAt: number;
}

/**
 * Slows password guessing without letting anyone lock an account (OWASP: Authentication and
 * Credential Stuffing Prevention cheat sheets; issue 23, where ten wrong passwords for a
 * username from anywhere kept its owner out for 15 minutes). Failures are counted per address
 * and per (username, address) — never per username alone, so a stranger's failures elsewhere
 * cannot refuse the owner. Past its free failures a key waits `firstWaitMs`, doubling with
 * each further failure up to `maxWaitMs`, before its next attempt is even checked. The
 * address's wait holds only for usernames unknown there: someone who has logged in from that
 * address before (an office, a carrier's shared address with an attacker behind it too) waits
 * only for their own failures. A right password from an address that has not been failing is
 * never refused.
 *
 * What it does not stop: guessing one account from many addresses, a few tries per address;
 * scrypt's cost and the password policy carry that. In memory: a restart forgets, which only
 * ever errs towards letting people in.
 */
export class LoginThrottle {
  readonly #addresses = new Map<string, Failures>();
  readonly #pairs = new Map<string, Failures>();
  /** (username, address) pairs with a successful login, and when. */
  readonly #known = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly limits: LoginThrottleOptions = DEFAULT_LOGIN_LIMITS,
  ) {}

  /** Seconds to wait before this login may be tried, or 0. */
  retryAfterSeconds(username: string, address: string): number {
    const now = this.now();
    const pair = pairKey(username, address);
    const knownAt = this.#known.get(pair);
    const known = knownAt !== undefined && now - knownAt < this.limits.knownPairMs;
    const wait = Math.max(
      known ? 0 : this.#wait(this.#addresses.get(address), this.limits.freeFailuresPerAddress, now),
      this.#wait(this.#pairs.get(pair), this.limits.freeFailuresPerPair, now),
    );
    return Math.ceil(wait / 1000);
  }

  failed(username: string, address: string): void {
    const now = this.now();
    this.#count(this.#addresses, address, now);
    this.#count(this.#pairs, pairKey(username, address), now);
  }

  /**
   * A right password: the pair's failures are forgotten and the username is known at the
   * address from now on. The address's own failures are not: an account an attacker holds
   * must not reset them for the others.
   */
  succeeded(username: string, address: string): void {
    const pair = pairKey(username, address);
    this.#pairs.delete(pair);
    remember(this.#known, pair, this.now(), MAX_TRACKED);
  }

  /** Milliseconds until `failures`' key may try again. */
  #wait(failures: Failures | undefined, free: number, now: number): number {
    if (!failures || now - failures.lastAt >= this.limits.forgetAfterMs || failures.count < free) return 0;
    const wait = Math.min(this.limits.firstWaitMs * 2 ** (failures.count - free), this.limits.maxWaitMs);
    return Math.max(0, failures.lastAt + wait - now);
  }

  #count(map: Map<string, Failures>, key: string, now: number): void {
    const failures = map.get(key);
    remember(
      map,
      key,
      { count: failures && now - failures.lastAt < this.limits.forgetAfterMs ? failures.count + 1 : 1, lastAt: now },
      MAX_TRACKED,
    );
  }
}

/** Usernames are compared as the login compares them. */
const pairKey = (username: string, address: string): string =>
  `${username.normalize('NFKC').toLowerCase()}\u0000${address}`;

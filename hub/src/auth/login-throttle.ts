/** How many failed logins a key may have within the window before it must wait. */
export interface ThrottleLimit {
  failures: number;
  windowMs: number;
}

export interface LoginThrottleOptions {
  /** Per username: slows guessing one person's password, whatever the address. */
  perAccount: ThrottleLimit;
  /** Per client address: slows one machine trying many usernames. */
  perAddress: ThrottleLimit;
}

export const DEFAULT_LOGIN_LIMITS: LoginThrottleOptions = {
  perAccount: { failures: 10, windowMs: 15 * 60_000 },
  perAddress: { failures: 50, windowMs: 15 * 60_000 },
};

/** Counts kept per map; beyond it the oldest are forgotten (erring towards letting people in). */
const MAX_TRACKED = 10_000;

interface Window {
  failures: number;
  startedAt: number;
}

/**
 * Rate-limits failed logins per account and per address (OWASP ASVS 6.3, without lockout):
 * past the limit a login is refused *before* the password is checked, until the window that
 * counted the failures is over. Nobody is locked out for good, an attacker cannot lock a
 * volunteer out for longer than one window, and a success clears the account's count.
 * In memory: a restart forgets the counts, which only ever errs towards letting people in.
 */
export class LoginThrottle {
  readonly #accounts = new Map<string, Window>();
  readonly #addresses = new Map<string, Window>();

  constructor(
    private readonly now: () => number,
    private readonly limits: LoginThrottleOptions = DEFAULT_LOGIN_LIMITS,
  ) {}

  /** Seconds to wait before this login may be tried, or 0. */
  retryAfterSeconds(username: string, address: string): number {
    const now = this.now();
    const wait = Math.max(
      this.#wait(this.#accounts, accountKey(username), this.limits.perAccount, now),
      this.#wait(this.#addresses, address, this.limits.perAddress, now),
    );
    return Math.ceil(wait / 1000);
  }

  failed(username: string, address: string): void {
    const now = this.now();
    this.#count(this.#accounts, accountKey(username), this.limits.perAccount, now);
    this.#count(this.#addresses, address, this.limits.perAddress, now);
  }

  succeeded(username: string): void {
    this.#accounts.delete(accountKey(username));
  }

  #wait(windows: Map<string, Window>, key: string, limit: ThrottleLimit, now: number): number {
    const window = windows.get(key);
    if (!window || now - window.startedAt >= limit.windowMs) return 0;
    return window.failures >= limit.failures ? window.startedAt + limit.windowMs - now : 0;
  }

  #count(windows: Map<string, Window>, key: string, limit: ThrottleLimit, now: number): void {
    const window = windows.get(key);
    if (window && now - window.startedAt < limit.windowMs) window.failures += 1;
    else windows.set(key, { failures: 1, startedAt: now });
    if (windows.size > MAX_TRACKED) this.#prune(windows, limit, now);
  }

  /** A flood of made-up names or addresses cannot fill memory: ended windows go, then the oldest. */
  #prune(windows: Map<string, Window>, limit: ThrottleLimit, now: number): void {
    for (const [key, window] of windows) if (now - window.startedAt >= limit.windowMs) windows.delete(key);
    for (const key of windows.keys()) {
      if (windows.size <= MAX_TRACKED) break;
      windows.delete(key);
    }
  }
}

/** Usernames are compared as the login compares them. */
const accountKey = (username: string): string => username.normalize('NFKC').toLowerCase();

import { remember } from '../recent-map.js';

/**
 * A token bucket: `burst` tokens to start with, refilled at `perMinute` tokens a minute up to
 * `burst`; each message takes one. Pure: the caller passes the time (a monotonic clock in
 * milliseconds), so tests drive it without timers.
 */
export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#last = now;
  }

  /** Takes a token if one is there; false means the sender is over its rate. */
  take(now: number): boolean {
    if (now > this.#last) {
      this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) * this.perMinute) / 60_000);
      this.#last = now;
    }
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/**
 * Token buckets by key (a device, an address), created full on first use. At most `maxKeys`
 * are kept: beyond that the least recently used go, which only ever errs towards letting a
 * sender in (its bucket starts full again), so made-up keys cannot fill memory.
 */
export class KeyedBuckets {
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes a token from `key`'s bucket; false means `key` is over its rate. */
  take(key: string, now: number): boolean {
    const bucket = this.#buckets.get(key) ?? new TokenBucket(this.perMinute, this.burst, now);
    remember(this.#buckets, key, bucket, this.maxKeys);
    return bucket.take(now);
  }
}

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

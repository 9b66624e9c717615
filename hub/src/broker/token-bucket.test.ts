import { describe, expect, it } from 'vitest';
import { KeyedBuckets, TokenBucket } from './token-bucket.js';

const takes = (bucket: TokenBucket, times: number[]) => times.map((t) => bucket.take(t));

describe('TokenBucket', () => {
  it('lets a burst through at once, then refuses until a token has been refilled', () => {
    expect(takes(new TokenBucket(60, 3, 0), [0, 0, 0, 0, 999, 1000])).toEqual([true, true, true, false, false, true]);
  });

  it('refills at the rate a minute, never beyond the burst', () => {
    const bucket = new TokenBucket(6, 2, 0);
    expect(takes(bucket, [0, 0, 0])).toEqual([true, true, false]);
    // An hour of quiet refills 360 tokens' worth, capped at 2.
    expect(takes(bucket, [3_600_000, 3_600_000, 3_600_000])).toEqual([true, true, false]);
    expect(takes(bucket, [3_610_000, 3_610_000])).toEqual([true, false]);
  });

  it('does not refill when the clock goes backwards', () => {
    const bucket = new TokenBucket(60, 1, 10_000);
    expect(takes(bucket, [10_000, 5_000, 9_000])).toEqual([true, false, false]);
  });
});

describe('KeyedBuckets', () => {
  it('keeps one bucket per key', () => {
    const buckets = new KeyedBuckets(60, 2);
    expect(['a', 'a', 'a', 'b', 'b', 'b'].map((key) => buckets.take(key, 0))).toEqual([
      true,
      true,
      false,
      true,
      true,
      false,
    ]);
  });

  it('forgets the least recently used key beyond its size, which starts full again', () => {
    const buckets = new KeyedBuckets(60, 1, 2);
    expect([buckets.take('a', 0), buckets.take('b', 0), buckets.take('a', 0)]).toEqual([true, true, false]);
    buckets.take('c', 0); // 'b' was used least recently: forgotten
    expect([buckets.take('a', 0), buckets.take('b', 0)]).toEqual([false, true]);
  });
});

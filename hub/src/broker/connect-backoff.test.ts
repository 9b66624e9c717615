import { describe, expect, it } from 'vitest';
import { ConnectBackoff } from './connect-backoff.js';

const options = { freeFailures: 3, windowMs: 60_000, maxBackoffMs: 8_000, logIntervalMs: 10_000 };
const fail = (backoff: ConnectBackoff, address: string, times: number, now: number) => {
  for (let n = 0; n < times; n++) backoff.failed(address, now);
};

describe('ConnectBackoff', () => {
  it('lets an address fail freely a few times, then makes it wait 1 s, 2 s, 4 s … up to the cap', () => {
    const backoff = new ConnectBackoff(options);
    fail(backoff, '10.0.0.9', 3, 0);
    expect(backoff.mayTry('10.0.0.9', 'dev-x', 0)).toBe(true);
    const waits = [];
    for (let n = 0; n < 6; n++) {
      backoff.failed('10.0.0.9', 0);
      let t = 0;
      while (!backoff.mayTry('10.0.0.9', 'dev-x', t)) t += 500;
      waits.push(t);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('never holds back a device that has connected from that address before, nor other addresses', () => {
    const backoff = new ConnectBackoff(options);
    backoff.succeeded('192.0.2.7', 'button-1');
    fail(backoff, '192.0.2.7', 10, 0);
    expect(backoff.mayTry('192.0.2.7', 'speaker-new', 100)).toBe(false);
    expect(backoff.mayTry('192.0.2.7', undefined, 100)).toBe(false);
    expect(backoff.mayTry('192.0.2.7', 'button-1', 100)).toBe(true);
    expect(backoff.mayTry('192.0.2.8', 'speaker-new', 100)).toBe(true);
  });

  it('forgets failures once the address has been quiet for the window', () => {
    const backoff = new ConnectBackoff(options);
    fail(backoff, '10.0.0.9', 4, 0);
    expect(backoff.mayTry('10.0.0.9', 'dev', 500)).toBe(false);
    backoff.failed('10.0.0.9', 60_000);
    expect(backoff.mayTry('10.0.0.9', 'dev', 60_000)).toBe(true);
  });

  it('asks for one warn line per address per interval, counting what came in between', () => {
    const backoff = new ConnectBackoff(options);
    const lines = [];
    for (let t = 0; t < 25_000; t += 1000) {
      const line = backoff.failed('10.0.0.9', t);
      if (line) lines.push({ at: t, ...line });
      expect(backoff.refused('10.0.0.9', t + 500)).toBeUndefined();
    }
    expect(lines.map((l) => l.at)).toEqual([0, 10_000, 20_000]);
    // Between two lines: 10 failures and 10 refusals.
    expect(lines[1]).toMatchObject({ address: '10.0.0.9', attempts: 20 });
    expect(backoff.failed('10.0.0.10', 25_000)).toMatchObject({ address: '10.0.0.10', attempts: 1 });
  });
});

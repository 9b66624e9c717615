import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';
import { passwordProblem } from './password-policy.js';

describe('passwordProblem', () => {
  it.each([
    ['kurumi-no-ki-2026', undefined],
    ['ながい合言葉です', undefined], // any script; length in characters, not bytes
    ['short1!', 'must be at least 8 characters'],
    ['Password1', 'is one of the most commonly used passwords; choose another'],
    ['12345678', 'is one of the most commonly used passwords; choose another'],
    ['Tanaka', 'must be at least 8 characters'],
    ['tanaka-ichiro', undefined],
    ['zzzzzzzzzz', 'must not be one character repeated'],
  ])('%s → %s', (password, problem) => {
    expect(passwordProblem(password, 'tanaka')).toBe(problem);
  });

  it('refuses the username itself', () => {
    expect(passwordProblem('Yamada-Hanako', 'yamada-hanako')).toBe('must not be the username');
  });
});

describe('LoginThrottle', () => {
  const limits = {
    freeFailuresPerAddress: 4,
    freeFailuresPerPair: 3,
    firstWaitMs: 1000,
    maxWaitMs: 60_000,
    forgetAfterMs: 600_000,
    knownPairMs: 86_400_000,
  };

  it('never lets failures from one address refuse the same username at another (issue 23)', () => {
    const throttle = new LoginThrottle(() => 0, limits);
    for (let i = 0; i < 1000; i++) throttle.failed('tanaka', '203.0.113.66');
    expect(throttle.retryAfterSeconds('tanaka', '203.0.113.66')).toBe(60);
    expect(throttle.retryAfterSeconds('tanaka', '192.0.2.10')).toBe(0);
  });

  it('makes a (username, address) pair wait 1 s, 2 s, 4 s … after its free failures, and forgets them on success', () => {
    let now = 0;
    const throttle = new LoginThrottle(() => now, limits);
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterSeconds('tanaka', '10.0.0.1')).toBe(0);
      throttle.failed('tanaka', '10.0.0.1');
    }
    expect(throttle.retryAfterSeconds('tanaka', '10.0.0.1')).toBe(1);
    expect(throttle.retryAfterSeconds('yamada', '10.0.0.1')).toBe(0); // the address itself is not failing yet
    now = 1000;
    throttle.failed('Tanaka', '10.0.0.1');
    expect(throttle.retryAfterSeconds('tanaka', '10.0.0.1')).toBe(2);
    now = 3000;
    throttle.succeeded('tanaka', '10.0.0.1');
    expect(throttle.retryAfterSeconds('tanaka', '10.0.0.1')).toBe(0);
  });

  it('slows an address that tries many usernames, progressively, up to the longest wait', () => {
    let now = 0;
    const throttle = new LoginThrottle(() => now, limits);
    const waits = [];
    for (let i = 0; i < 12; i++) {
      throttle.failed(`user-${i}`, '10.0.0.9');
      waits.push(throttle.retryAfterSeconds('someone', '10.0.0.9'));
    }
    expect(waits).toEqual([0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]);
    expect(throttle.retryAfterSeconds('someone', '10.0.0.8')).toBe(0);
    now = 600_000; // quiet for forgetAfterMs
    expect(throttle.retryAfterSeconds('someone', '10.0.0.9')).toBe(0);
  });

  it('does not hold back someone who has logged in from a failing address before, and a success resets nobody else', () => {
    const throttle = new LoginThrottle(() => 0, limits);
    throttle.succeeded('tanaka', '10.0.0.5'); // the community centre's Wi-Fi
    for (let i = 0; i < 6; i++) throttle.failed(`user-${i}`, '10.0.0.5');
    expect(throttle.retryAfterSeconds('someone', '10.0.0.5')).toBe(4);
    expect(throttle.retryAfterSeconds('tanaka', '10.0.0.5')).toBe(0);
    throttle.succeeded('mallory', '10.0.0.5');
    expect(throttle.retryAfterSeconds('someone', '10.0.0.5')).toBe(4);
    // Their own failures still count.
    for (let i = 0; i < 3; i++) throttle.failed('tanaka', '10.0.0.5');
    expect(throttle.retryAfterSeconds('tanaka', '10.0.0.5')).toBe(1);
  });
});

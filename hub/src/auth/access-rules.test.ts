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
  const limits = { perAccount: { failures: 3, windowMs: 60_000 }, perAddress: { failures: 5, windowMs: 60_000 } };

  it('makes an account wait after its failures, until the window ends, and forgets them on success', () => {
    let now = 0;
    const throttle = new LoginThrottle(() => now, limits);
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterSeconds('tanaka', '10.0.0.1')).toBe(0);
      throttle.failed('tanaka', '10.0.0.1');
    }
    expect(throttle.retryAfterSeconds('tanaka', '10.0.0.2')).toBe(60); // from any address
    expect(throttle.retryAfterSeconds('yamada', '10.0.0.2')).toBe(0); // others are not affected
    now = 45_000;
    expect(throttle.retryAfterSeconds('Tanaka', '10.0.0.2')).toBe(15);
    now = 60_000;
    expect(throttle.retryAfterSeconds('tanaka', '10.0.0.2')).toBe(0); // no lockout beyond the window
    throttle.failed('tanaka', '10.0.0.2');
    throttle.succeeded('tanaka');
    throttle.failed('tanaka', '10.0.0.2');
    throttle.failed('tanaka', '10.0.0.2');
    expect(throttle.retryAfterSeconds('tanaka', '10.0.0.2')).toBe(0);
  });

  it('makes an address that tries many usernames wait', () => {
    const throttle = new LoginThrottle(() => 0, limits);
    for (const name of ['a', 'b', 'c', 'd', 'e']) throttle.failed(name, '10.0.0.9');
    expect(throttle.retryAfterSeconds('f', '10.0.0.9')).toBe(60);
    expect(throttle.retryAfterSeconds('f', '10.0.0.8')).toBe(0);
  });
});

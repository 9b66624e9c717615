import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffClient, startTestHub } from '../testing/test-hub.js';

/**
 * Logs in over a real socket from `localAddress` (all of 127.0.0.0/8 is this machine's on
 * Linux, so 127.0.0.2 and 127.0.0.3 are two clients the hub tells apart by address).
 */
function loginFrom(
  http: string,
  localAddress: string,
  username: string,
  password: string,
): Promise<{ status: number; retryAfter: string | undefined }> {
  const url = new URL('/api/auth/login', http);
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': body.length } },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('logins: a stranger’s failures never keep a user out (issue 23)', () => {
  let ctx: Awaited<ReturnType<typeof startTestHub>>;
  const ATTACKER = '127.0.0.2';
  const VOLUNTEER = '127.0.0.3';

  beforeAll(async () => {
    ctx = await startTestHub();
    const api = await staffClient(ctx.http);
    await api('POST', '/api/users', {
      username: 'tanaka',
      displayName: '田中',
      role: 'volunteer',
      password: 'hasu-no-hana-ike',
    });
  });
  afterAll(async () => {
    await ctx.stop();
  });

  it('lets the volunteer log in from their address while an attacker at another is guessing their password', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) statuses.add((await loginFrom(ctx.http, ATTACKER, 'tanaka', `guess-${i}-x`)).status);
    // The attacker is slowed: after a few failures, attempts are refused before the password is checked.
    expect(statuses).toEqual(new Set([401, 429]));
    const attackerNow = await loginFrom(ctx.http, ATTACKER, 'tanaka', 'hasu-no-hana-ike');
    expect(attackerNow.status).toBe(429);
    expect(Number(attackerNow.retryAfter)).toBeGreaterThan(0);

    expect((await loginFrom(ctx.http, VOLUNTEER, 'tanaka', 'hasu-no-hana-ike')).status).toBe(200);
  });

  it('lets a user who has logged in from an address before in, even while that address is failing for others', async () => {
    const api = await staffClient(ctx.http);
    await api('POST', '/api/users', {
      username: 'suzuki',
      displayName: '鈴木',
      role: 'volunteer',
      password: 'kusunoki-no-kage',
    });
    const SHARED = '127.0.0.4'; // a carrier's shared address, or a community centre's Wi-Fi
    expect((await loginFrom(ctx.http, SHARED, 'suzuki', 'kusunoki-no-kage')).status).toBe(200);
    for (let i = 0; i < 11; i++) await loginFrom(ctx.http, SHARED, `nobody-${i}`, 'guess-guess-guess');
    expect((await loginFrom(ctx.http, SHARED, 'someone-new', 'kusunoki-no-kage')).status).toBe(429);
    expect((await loginFrom(ctx.http, SHARED, 'suzuki', 'kusunoki-no-kage')).status).toBe(200);
  });
});

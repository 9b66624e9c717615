import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFrom } from '../testing/http-from.js';
import { createVolunteers, staffClient, startTestHub } from '../testing/test-hub.js';

/** Logs in from `localAddress` (see httpFrom): the status and Retry-After of the answer. */
async function loginFrom(http: string, localAddress: string, username: string, password: string) {
  const answer = await httpFrom(http, 'POST', '/api/auth/login', { localAddress, body: { username, password } });
  return { status: answer.status, retryAfter: answer.headers['retry-after'] as string | undefined };
}

describe('logins: a stranger’s failures never keep a user out (issue 23)', () => {
  let ctx: Awaited<ReturnType<typeof startTestHub>>;
  const ATTACKER = '127.0.0.2';
  const VOLUNTEER = '127.0.0.3';

  beforeAll(async () => {
    ctx = await startTestHub();
    // Their passwords are `{username}-password`.
    await createVolunteers(await staffClient(ctx.http), ['tanaka', 'suzuki']);
  });
  afterAll(async () => {
    await ctx.stop();
  });

  it('lets the volunteer log in from their address while an attacker at another is guessing their password', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) statuses.add((await loginFrom(ctx.http, ATTACKER, 'tanaka', `guess-${i}-x`)).status);
    // The attacker is slowed: after a few failures, attempts are refused before the password is checked.
    expect(statuses).toEqual(new Set([401, 429]));
    const attackerNow = await loginFrom(ctx.http, ATTACKER, 'tanaka', 'tanaka-password');
    expect(attackerNow.status).toBe(429);
    expect(Number(attackerNow.retryAfter)).toBeGreaterThan(0);

    expect((await loginFrom(ctx.http, VOLUNTEER, 'tanaka', 'tanaka-password')).status).toBe(200);
  });

  it('lets a user who has logged in from an address before in, even while that address is failing for others', async () => {
    const SHARED = '127.0.0.4'; // a carrier's shared address, or a community centre's Wi-Fi
    expect((await loginFrom(ctx.http, SHARED, 'suzuki', 'suzuki-password')).status).toBe(200);
    for (let i = 0; i < 11; i++) await loginFrom(ctx.http, SHARED, `nobody-${i}`, 'guess-guess-guess');
    expect((await loginFrom(ctx.http, SHARED, 'someone-new', 'suzuki-password')).status).toBe(429);
    expect((await loginFrom(ctx.http, SHARED, 'suzuki', 'suzuki-password')).status).toBe(200);
  });
});

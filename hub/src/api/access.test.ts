import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffClient, startTestHub } from '../testing/test-hub.js';

/** Logs in by hand, to see the status, headers and cookie of the answer itself. */
const login = (http: string, username: string, password: string, headers: Record<string, string> = {}) =>
  fetch(`${http}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });

describe('access: logins, passwords, other sites, headers', () => {
  let ctx: Awaited<ReturnType<typeof startTestHub>>;
  let api: Awaited<ReturnType<typeof staffClient>>;

  beforeAll(async () => {
    ctx = await startTestHub();
    api = await staffClient(ctx.http);
  });
  afterAll(async () => {
    await ctx.stop();
  });

  it('refuses common and guessable passwords with the reason, and accepts a passphrase', async () => {
    const common = await api('POST', '/api/users', {
      username: 'sato',
      displayName: '佐藤',
      role: 'volunteer',
      password: 'password123',
    });
    expect(common).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'bad_request',
          message: 'body.password: is one of the most commonly used passwords; choose another',
        },
      },
    });
    const named = await api('POST', '/api/users', {
      username: 'sato-hanako',
      displayName: '佐藤',
      role: 'volunteer',
      password: 'Sato-Hanako',
    });
    expect(named).toMatchObject({
      status: 400,
      body: { error: { message: 'body.password: must not be the username' } },
    });
    expect(
      (
        await api('POST', '/api/users', {
          username: 'sato',
          displayName: '佐藤',
          role: 'volunteer',
          password: 'kaki-no-ki-no-shita',
        })
      ).status,
    ).toBe(201);
  });

  it('slows down guessing from an address: after 5 failures for an account it waits (even with the right password), 1 s doubling, then may log in again', async () => {
    await api('POST', '/api/users', {
      username: 'kato',
      displayName: '加藤',
      role: 'volunteer',
      password: 'ume-no-hana-saku',
    });
    for (let i = 0; i < 5; i++) expect((await login(ctx.http, 'kato', `wrong-${i}-password`)).status).toBe(401);
    const refused = await login(ctx.http, 'kato', 'ume-no-hana-saku');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(1);
    ctx.clock.advance(1000);
    expect((await login(ctx.http, 'kato', 'wrong-5-password')).status).toBe(401);
    expect(Number((await login(ctx.http, 'kato', 'ume-no-hana-saku')).headers.get('retry-after'))).toBe(2);
    ctx.clock.advance(2000);
    expect((await login(ctx.http, 'kato', 'ume-no-hana-saku')).status).toBe(200);
  });

  it('ends a user’s sessions when their password is changed', async () => {
    const created = (
      await api('POST', '/api/users', {
        username: 'ito',
        displayName: '伊藤',
        role: 'volunteer',
        password: 'sakura-namiki-michi',
      })
    ).body as { id: string };
    const ito = await staffClient(ctx.http, { username: 'ito', password: 'sakura-namiki-michi' });
    expect((await ito('GET', '/api/me')).status).toBe(200);
    expect((await api('PATCH', `/api/users/${created.id}`, { password: 'atarashii-aikotoba' })).status).toBe(200);
    expect((await ito('GET', '/api/me')).status).toBe(401);
  });

  it('refuses state changes a browser marks as coming from another site, and allows the dashboard’s own', async () => {
    const evil = await login(ctx.http, 'staff', 'mimamori-demo-staff', { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect((await login(ctx.http, 'staff', 'mimamori-demo-staff', { 'sec-fetch-site': 'cross-site' })).status).toBe(
      403,
    );
    expect(
      (await login(ctx.http, 'staff', 'mimamori-demo-staff', { origin: ctx.http, 'sec-fetch-site': 'same-origin' }))
        .status,
    ).toBe(200);
    // Reading is not a state change: a cross-site GET is answered (and the cookie is not sent by browsers anyway).
    expect((await fetch(`${ctx.http}/health`, { headers: { origin: 'https://evil.example' } })).status).toBe(200);
  });

  it('sends headers that keep the dashboard from being framed, sniffed or fed foreign scripts', async () => {
    const response = await fetch(`${ctx.http}/api/me`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('strict-transport-security')).toBeNull(); // plain HTTP here
  });
});

import { X509Certificate } from 'node:crypto';
import type { Clock } from '@mimamori/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alexaTestCertificates } from '../../testing/alexa-certificates.js';
import { startAlexaCore, type AlexaCore } from '../../testing/alexa-core.js';
import { CertificateChains } from './certificate-chains.js';
import { AMAZON } from './index.js';

/**
 * Every request reaching POST /alexa is checked as Alexa requires of a self-hosted skill; the
 * requests are in Alexa's JSON format and signed with a chain made by openssl for the test
 * (testing/alexa-certificates.ts), fetched over HTTPS from the stand-in certificate host.
 */
let alexa: AlexaCore;
beforeAll(async () => {
  alexa = await startAlexaCore();
});
afterAll(() => alexa.stop());

const refused = (result: string) => `mimamori_alexa_requests_total{result="${result}"}`;

describe('Alexa request verification', () => {
  it('answers a request signed by Alexa’s chain, in time, for this skill', async () => {
    const heard = await alexa.echo().launch();
    expect(heard.status).toBe(200);
    expect(heard.said).toContain('6桁の番号をおっしゃってください');
    expect(await alexa.metric(refused('accepted'))).toBeGreaterThan(0);
  });

  it.each([
    [
      'a body changed after signing',
      'bad_signature',
      { tamper: (b: string) => b.replace('LaunchRequest', 'IntentRequest') },
    ],
    ['no signature headers', 'unsigned', { headers: { signaturecertchainurl: '', 'signature-256': '' } }],
    ['a timestamp 151 s old', 'stale_timestamp', { at: -151_000 }],
    ['a timestamp 151 s ahead', 'stale_timestamp', { at: 151_000 }],
    ['a chain under a root the hub does not trust', 'untrusted_certificate', { chain: 'untrusted' as const }],
    ['a chain whose leaf is not echo-api.amazon.com', 'untrusted_certificate', { chain: 'wrongName' as const }],
    ['a chain whose leaf has expired', 'untrusted_certificate', { chain: 'expired' as const }],
  ])('refuses %s (400, counted as %s)', async (_case, reason, options) => {
    const before = await alexa.metric(refused(reason));
    const { at, ...rest } = options as { at?: number };
    const heard = await alexa
      .echo()
      .send({ type: 'LaunchRequest' }, { ...rest, ...(at !== undefined && { at: alexa.core.clock.now() + at }) });
    expect(heard.status).toBe(400);
    expect(heard.body).toMatchObject({ error: { code: 'bad_request', message: `request refused: ${reason}` } });
    expect(await alexa.metric(refused(reason))).toBe(before + 1);
  });

  it.each([
    ['http instead of https', (u: URL) => `http://${u.host}${u.pathname}`],
    ['another host', (u: URL) => `https://example.com:${u.port}${u.pathname}`],
    ['another port', (u: URL) => `https://${u.hostname}:1${u.port}${u.pathname}`],
    ['a path outside /echo.api/', (u: URL) => `https://${u.host}/EcHo.aPi/good.pem`],
    ['a path leaving /echo.api/ with ..', (u: URL) => `https://${u.host}/echo.api/../other/good.pem`],
  ])('refuses a certificate URL with %s', async (_case, change) => {
    const before = await alexa.metric(refused('bad_certificate_url'));
    const url = change(new URL(alexa.amazon.certificateUrl('good')));
    const heard = await alexa.echo().send({ type: 'LaunchRequest' }, { headers: { signaturecertchainurl: url } });
    expect(heard.status).toBe(400);
    expect(await alexa.metric(refused('bad_certificate_url'))).toBe(before + 1);
  });

  it('accepts a certificate URL with .. that stays under /echo.api/, as Amazon’s rules allow', async () => {
    const url = new URL(alexa.amazon.certificateUrl('good'));
    const heard = await alexa
      .echo()
      .send(
        { type: 'LaunchRequest' },
        { headers: { signaturecertchainurl: `https://${url.host}/echo.api/../echo.api/good.pem` } },
      );
    expect(heard.status).toBe(200);
  });

  it('refuses a request for another skill', async () => {
    const echo = alexa.echo();
    const body = JSON.stringify(echo.envelope({ type: 'LaunchRequest' })).replaceAll(
      'amzn1.ask.skill.00000000-0000-4000-8000-000000000022',
      'amzn1.ask.skill.someone-else',
    );
    const answer = await alexa.post(alexa.amazon.sign(body), body);
    expect(answer.status).toBe(400);
    expect(await alexa.metric(refused('wrong_application'))).toBe(1);
  });

  it('accepts a skill event up to an hour old (Alexa may send them late), not older', async () => {
    const echo = alexa.echo();
    const event = (minutesAgo: number) =>
      echo.send(
        { type: 'AlexaSkillEvent.SkillEnabled', eventCreationTime: new Date().toISOString() },
        { at: alexa.core.clock.now() - minutesAgo * 60_000 },
      );
    expect((await event(59)).status).toBe(200);
    expect((await event(61)).status).toBe(400);
  });
});

describe('certificate chains', () => {
  it('trusts by default the roots Alexa’s signing certificates chain to (Node’s bundled roots)', () => {
    const names = AMAZON.trustedRoots.map((pem) => new X509Certificate(pem).subject);
    expect(names.some((n) => n.includes('CN=Amazon Root CA 1'))).toBe(true);
    expect(names.some((n) => n.includes('CN=DigiCert Global Root G2'))).toBe(true);
    expect(AMAZON.certificateSource).toEqual({ host: 's3.amazonaws.com', port: 443 });
  });

  it('keeps a chain by URL, fetching it once, and checks its dates again on every use', async () => {
    const certs = alexaTestCertificates();
    let now = Date.parse('2039-12-31T23:59:00Z');
    let fetched = 0;
    const chains = new CertificateChains({
      trustedRoots: [certs.root],
      fetch: async () => (fetched++, certs.good.pem),
      clock: { now: () => now } as Clock,
    });
    await chains.signingKey('https://s3.amazonaws.com/echo.api/echo-api-cert.pem');
    await chains.signingKey('https://s3.amazonaws.com/echo.api/echo-api-cert.pem');
    expect(fetched).toBe(1);
    now += 120_000;
    await expect(chains.signingKey('https://s3.amazonaws.com/echo.api/echo-api-cert.pem')).rejects.toMatchObject({
      reason: 'untrusted_certificate',
    });
  });

  it('refuses a chain that cannot be fetched, and fetches it again next time', async () => {
    let fail = true;
    const chains = new CertificateChains({
      trustedRoots: [alexaTestCertificates().root],
      fetch: async () => {
        if (fail) throw new Error('HTTP 503');
        return alexaTestCertificates().good.pem;
      },
      clock: { now: () => Date.parse('2030-01-01T00:00:00Z') } as Clock,
    });
    await expect(chains.signingKey('https://s3.amazonaws.com/echo.api/x.pem')).rejects.toMatchObject({
      reason: 'certificate_unavailable',
    });
    fail = false;
    await expect(chains.signingKey('https://s3.amazonaws.com/echo.api/x.pem')).resolves.toBeDefined();
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';
import { webhookTargetProblem } from './webhook-target.js';

const hub = { host: '127.0.0.1', port: 8080, publicUrl: 'https://mimamori.example.lg.jp' };

describe('webhookTargetProblem', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://[fe80::1]:9000/hook', /link-local/],
    ['http://[::ffff:169.254.169.254]/', /link-local/],
    ['http://127.0.0.1:8080/api/alerts', /the hub itself/],
    ['http://localhost:8080/hook', /the hub itself/],
    ['https://mimamori.example.lg.jp/api/auth/login', /notify.publicUrl/],
  ])('refuses %s', (url, problem) => {
    expect(webhookTargetProblem(url, hub)).toMatch(problem);
  });

  it.each([
    'https://hooks.slack.com/services/T0/B0/x',
    'http://127.0.0.1:9000/line-bridge', // a bridge on the same machine, another port
    'http://169.255.0.1/hook',
    'https://mimamori.example.lg.jp:8443/other-service',
  ])('accepts %s', (url) => {
    expect(webhookTargetProblem(url, hub)).toBeUndefined();
  });
});

describe('loadConfig', () => {
  it('refuses to start with a webhook pointing at a link-local address, naming the setting', () => {
    expect(() =>
      loadConfig({ MIMAMORI_WEBHOOK_URL: 'http://169.254.169.254/', MIMAMORI_WEBHOOK_SECRET: 'x'.repeat(16) }),
    ).toThrow(ConfigError);
    try {
      loadConfig({ MIMAMORI_WEBHOOK_URL: 'http://169.254.169.254/', MIMAMORI_WEBHOOK_SECRET: 'x'.repeat(16) });
    } catch (error) {
      expect((error as Error).message).toContain('notify.webhooks.0.url');
      expect((error as Error).message).toContain('link-local');
    }
  });

  it('refuses a webhook at the hub’s own HTTP port', () => {
    expect(() =>
      loadConfig({
        MIMAMORI_HTTP_PORT: '8090',
        MIMAMORI_WEBHOOK_URL: 'http://localhost:8090/api/alerts',
        MIMAMORI_WEBHOOK_SECRET: 'x'.repeat(16),
      }),
    ).toThrow(/must not point at the hub itself/);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

describe('loadConfig', () => {
  it('gives embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mode: 'production',
      http: { host: '127.0.0.1', port: 8080 },
      mqtt: { port: 1883, maxPacketBytes: 65536 },
      timeseries: { backend: 'sqlite' },
      notify: { webhooks: [] },
    });
  });

  it('lets the environment override the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mimamori-config-'));
    const file = join(dir, 'hub.json');
    writeFileSync(file, JSON.stringify({ http: { port: 9000, host: '0.0.0.0' }, mqtt: { port: 1999 } }));
    const config = loadConfig({ MIMAMORI_CONFIG: file, MIMAMORI_HTTP_PORT: '9100' });
    expect(config.http).toEqual({ host: '0.0.0.0', port: 9100 });
    expect(config.mqtt.port).toBe(1999);
  });

  it('names the setting, where it came from and what it is for when a value is wrong', () => {
    expect(() => loadConfig({ MIMAMORI_HTTP_PORT: 'eighty' })).toThrow(ConfigError);
    try {
      loadConfig({ MIMAMORI_HTTP_PORT: 'eighty' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('http.port');
      expect(message).toContain('MIMAMORI_HTTP_PORT="eighty"');
      expect(message).toContain('HTTP port');
    }
  });

  it('requires an InfluxDB URL for the influx backend', () => {
    expect(() => loadConfig({ MIMAMORI_TIMESERIES: 'influx' })).toThrow(/timeseries\.influxUrl.*MIMAMORI_INFLUX_URL/);
    expect(
      loadConfig({ MIMAMORI_TIMESERIES: 'influx', MIMAMORI_INFLUX_URL: 'http://127.0.0.1:8086/mimamori' }).timeseries,
    ).toEqual({ backend: 'influx', influxUrl: 'http://127.0.0.1:8086/mimamori', retentionDays: 400 });
  });

  it('refuses a seeded admin with a short password and never echoes it', () => {
    const attempt = () => loadConfig({ MIMAMORI_ADMIN_USERNAME: 'admin', MIMAMORI_ADMIN_PASSWORD: 'secret1' });
    expect(attempt).toThrow(/admin\.password/);
    expect(attempt).not.toThrow(/secret1/);
  });

  it('refuses the published demo passwords outside demo mode, and placeholders in any mode', () => {
    const admin = (password: string, mode = 'production') =>
      loadConfig({ MIMAMORI_MODE: mode, MIMAMORI_ADMIN_USERNAME: 'operator', MIMAMORI_ADMIN_PASSWORD: password });
    expect(() => admin('mimamori-demo-admin')).toThrow(/admin\.password.*demo passwords/);
    expect(() => admin('mimamori-demo-volunteer', 'development')).toThrow(/demo passwords/);
    expect(admin('mimamori-demo-admin', 'demo').admin.password).toBe('mimamori-demo-admin');
    for (const placeholder of [
      '<12+ characters>',
      '${MIMAMORI_ADMIN_PASSWORD}',
      'change-me-please',
      'your-password-here',
    ])
      expect(() => admin(placeholder, 'demo'), placeholder).toThrow(/admin\.password.*placeholder/);
    expect(() =>
      loadConfig({
        MIMAMORI_WEBHOOK_URL: 'https://example.org/hook',
        MIMAMORI_WEBHOOK_SECRET: '<at least 16 characters>',
      }),
    ).toThrow(/notify\.webhooks\.0\.secret.*placeholder/);
    expect(() =>
      loadConfig({
        MIMAMORI_MQTT_EXTERNAL_URL: 'mqtt://broker:1883',
        MIMAMORI_MQTT_EXTERNAL_PASSWORD: '<hub password>',
      }),
    ).toThrow(/mqtt\.external\.password.*placeholder/);
    expect(admin('k8Vq2-river-lantern').admin.password).toBe('k8Vq2-river-lantern');
  });

  it('keeps a demo hub on loopback unless told to show it on the network', () => {
    const demo = (host: string, extra: Record<string, string> = {}) =>
      loadConfig({ MIMAMORI_MODE: 'demo', MIMAMORI_HTTP_HOST: host, ...extra });
    for (const host of ['127.0.0.1', '127.0.1.1', 'localhost', '::1']) expect(demo(host).http.host).toBe(host);
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'hub.example.lg.jp'])
      expect(() => demo(host), host).toThrow(/http\.host .*demo hub must listen on 127\.0\.0\.1 only/);
    expect(demo('0.0.0.0', { MIMAMORI_DEMO_ON_NETWORK: 'true' }).demoOnNetwork).toBe(true);
    expect(() => demo('0.0.0.0', { MIMAMORI_DEMO_ON_NETWORK: 'yes' })).toThrow(
      /demoOnNetwork.*MIMAMORI_DEMO_ON_NETWORK="yes"/,
    );
    expect(loadConfig({ MIMAMORI_HTTP_HOST: '0.0.0.0' }).http.host).toBe('0.0.0.0');
  });

  it('refuses one port for both HTTP and MQTT', () => {
    expect(() => loadConfig({ MIMAMORI_HTTP_PORT: '8080', MIMAMORI_MQTT_PORT: '8080' })).toThrow(
      /mqtt\.port .*must differ from http\.port/,
    );
    expect(loadConfig({ MIMAMORI_HTTP_PORT: '0', MIMAMORI_MQTT_PORT: '0' }).mqtt.port).toBe(0);
  });

  it('reads an environment value as its setting’s type: an all-digit password stays text', () => {
    const config = loadConfig({
      MIMAMORI_ADMIN_USERNAME: 'admin',
      MIMAMORI_ADMIN_PASSWORD: '839201746518',
      MIMAMORI_MQTT_EXTERNAL_URL: 'mqtt://127.0.0.1:1883',
      MIMAMORI_MQTT_EXTERNAL_PASSWORD: '902318475610',
      MIMAMORI_HTTP_PORT: '9100',
    });
    expect(config.admin.password).toBe('839201746518');
    expect(config.mqtt.external?.password).toBe('902318475610');
    expect(config.http.port).toBe(9100);
  });

  it('adds a webhook from the environment and checks its secret', () => {
    expect(() =>
      loadConfig({ MIMAMORI_WEBHOOK_URL: 'https://example.org/hook', MIMAMORI_WEBHOOK_SECRET: 'short' }),
    ).toThrow(/notify\.webhooks\.0\.secret/);
    const config = loadConfig({
      MIMAMORI_WEBHOOK_URL: 'https://example.org/hook',
      MIMAMORI_WEBHOOK_SECRET: 'x'.repeat(32),
    });
    expect(config.notify.webhooks).toEqual([
      { url: 'https://example.org/hook', secret: 'x'.repeat(32), tiersOnly: false },
    ]);
  });

  it('rejects a config file that is not a JSON object', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mimamori-config-'));
    const file = join(dir, 'hub.json');
    writeFileSync(file, '[1,2]');
    expect(() => loadConfig({ MIMAMORI_CONFIG: file })).toThrow(/must hold a JSON object/);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpServer, startWebhookReceiver, type WebhookReply } from '../hub/src/testing/receivers.js';
import { createVolunteers, provisionDevice, putTwoTierNetwork, staffClient } from '../hub/src/testing/test-hub.js';
import { until } from '../hub/src/testing/until.js';
import { freePort } from './support/free-port.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';

const SECRET = 'webhook-secret-0123456789';
const RETRY_AFTER_SECONDS = 3;

type Timeline = { at: string; kind: string; detail: { tiers?: number[] } | null }[];

/**
 * The built hub escalates an SOS while both ways of telling people fail: the staff bridge
 * webhook accepts each request and never answers (the hub gives up on it after one second), and
 * the SMTP server's port is closed. Tier 1 is told nothing, so tier 2 is due after its one-minute
 * timeout (the shortest staff can set), which is most of this test's minute and a bit. Then both
 * recover haltingly — the bridge answers 429 with Retry-After once, the SMTP server refuses one
 * recipient with 451 — and every notification arrives, once per delivery key.
 */
describe('notifications during a webhook and SMTP outage', () => {
  let hub: HubProcess | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await hub?.stop();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('escalates meanwhile, and delivers every notification once after recovery', async () => {
    let reply: (n: number) => WebhookReply = () => 'hang';
    const bridge = await startWebhookReceiver((n) => reply(n));
    cleanups.push(bridge.close);
    const smtpPort = await freePort(); // nothing listens here until the recovery
    // Timeouts and backoff short enough to watch; these settings have no environment variable.
    const config = join(mkdtempSync(join(tmpdir(), 'mimamori-config-')), 'hub.json');
    writeFileSync(
      config,
      JSON.stringify({
        notify: {
          webhooks: [{ url: bridge.url, secret: SECRET }],
          smtp: { url: `smtp://127.0.0.1:${smtpPort}`, from: 'hub@example.jp' },
          timeoutSeconds: 1,
          retryMinSeconds: 1,
          retryMaxSeconds: 4,
        },
      }),
    );
    hub = await startHubProcess({ MIMAMORI_CONFIG: config });
    const { http } = hub;
    const api = await staffClient(http);
    const creds = await provisionDevice(api, { homeId: 'home-1', deviceId: 'btn-1' });
    const watchers = await createVolunteers(api, ['vol-1', 'staff-2'], { withEmail: true });
    const network = await putTwoTierNetwork(api, 'home-1', watchers, 'outage test');
    expect(network.status).toBe(200);

    const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${hub.mqttPort}`, {
      username: creds.username,
      password: creds.password,
      clientId: creds.username,
      reconnectPeriod: 0,
    });
    await device.publishAsync(
      `${creds.topicPrefix}/event`,
      JSON.stringify({ id: 'sos-1', ts: Date.now(), type: 'sos', via: 'button' }),
      { qos: 1 },
    );
    await device.endAsync();
    const [alert] = (
      (await api('GET', '/api/alerts?homeId=home-1')).body as { items: { id: string; openedAt: string }[] }
    ).items;
    const timeline = async () =>
      ((await api('GET', `/api/alerts/${alert?.id}`)).body as { timeline: Timeline }).timeline;

    // Within seconds: each hung request timed out and was tried again, under the same key.
    const tried = await until(
      () => [...bridge.received],
      (r) => r.length >= 3,
      15_000,
    );
    expect(new Set(tried.map((r) => r.status))).toEqual(new Set(['hung']));
    expect(new Set(tried.map((r) => r.headers['x-mimamori-delivery'])).size).toBe(1);
    expect(await outbox(http)).toMatchObject({ pending: 2, delivered: 0 });

    // Tier 1 was told nothing, yet tier 2 is due at its time, and is queued to be told.
    const escalated = await until(timeline, (t) => t.some((e) => e.kind === 'escalated'), 90_000);
    expect(escalated.map((e) => [e.kind, e.detail?.tiers])).toEqual([
      ['opened', [0]],
      ['escalated', [1]],
    ]);
    expect(Date.parse(escalated[1]?.at ?? '')).toBeGreaterThanOrEqual(Date.parse(alert?.openedAt ?? '') + 60_000);
    expect(
      await until(
        () => outbox(http),
        (o) => o.pending === 4,
      ),
    ).toMatchObject({ pending: 4, delivered: 0 });
    expect(bridge.delivered()).toEqual([]);

    // Recovery, haltingly: one 429 with Retry-After from the bridge, one 451 from the SMTP server.
    const recoveredAt = bridge.received.length;
    reply = (n) =>
      n === recoveredAt ? { status: 429, headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } } : { status: 200 };
    const smtp = await startSmtpServer({ port: smtpPort, refuse: (n) => n === 0 });
    cleanups.push(smtp.close);

    const delivered = await until(
      () => bridge.delivered(),
      (d) => d.length === 2,
      30_000,
    );
    expect(delivered.map((d) => d.event).sort()).toEqual(['alert.escalated', 'alert.opened']);
    await until(
      () => smtp.mails,
      (m) => m.length === 2,
      30_000,
    );
    expect(smtp.to('vol-1@example.jp').map((m) => m.subject)).toEqual(['【緊急】home-1 宅']);
    expect(smtp.to('staff-2@example.jp')).toEqual([
      expect.objectContaining({ text: expect.stringContaining('まだ誰も対応していません。') }),
    ]);
    expect(smtp.refused).toHaveLength(1);

    // The key refused with 429 was not tried again before its Retry-After.
    const refused = bridge.received.find((r) => r.status === 429);
    const next = bridge.received.find(
      (r) => r.at > (refused?.at ?? 0) && r.headers['x-mimamori-delivery'] === refused?.headers['x-mimamori-delivery'],
    );
    expect((next?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(RETRY_AFTER_SECONDS * 1000);
    // Once per delivery key, however often each was tried: two keys on the bridge, nothing lost or doubled.
    expect(new Set(bridge.received.map((r) => r.headers['x-mimamori-delivery']))).toEqual(
      new Set(delivered.map((d) => d.deliveryKey)),
    );
    const mailKeys = smtp.mails.map((m) => m.headers.get('x-mimamori-delivery'));
    expect(new Set(mailKeys).size).toBe(2);
    expect(
      await until(
        () => outbox(http),
        (o) => o.delivered === 4,
      ),
    ).toEqual({ pending: 0, delivered: 4, failed: 0 });
  }, 150_000);
});

/** The hub's notification outbox by status, from its metrics. */
async function outbox(http: string): Promise<{ pending: number; delivered: number; failed: number }> {
  const metrics = await (await fetch(`${http}/metrics`)).text();
  const count = (status: string) =>
    Number(new RegExp(`^mimamori_outbox_deliveries\\{status="${status}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
  return { pending: count('pending'), delivered: count('delivered'), failed: count('failed') };
}

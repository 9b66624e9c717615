import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { createVolunteers, provisionDevice, putTwoTierNetwork, staffClient } from '../hub/src/testing/test-hub.js';
import { startWebhookReceiver } from '../hub/src/testing/receivers.js';
import { until } from '../hub/src/testing/until.js';
import { startHubProcess, type HubProcess } from './support/hub-process.js';

const SECRET = 'webhook-secret-0123456789';

/**
 * The built hub is killed with SIGKILL while an SOS waits for tier 1 to acknowledge, and
 * restarted on the same data: tier 2 is told once, at the persisted time — the escalation is
 * neither restarted (tier 1 told again as new) nor skipped. Takes about a minute of real
 * time: one minute is the shortest tier timeout staff can set.
 */
describe('a hub killed in the middle of an escalation', () => {
  let hub: HubProcess | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await hub?.stop();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('continues it at its step after restart', async () => {
    const bridge = await startWebhookReceiver();
    cleanups.push(bridge.close);
    const env = { MIMAMORI_WEBHOOK_URL: bridge.url, MIMAMORI_WEBHOOK_SECRET: SECRET };
    hub = await startHubProcess(env);
    const api = await staffClient(hub.http);
    const creds = await provisionDevice(api, { homeId: 'home-1', deviceId: 'btn-1' });
    const watchers = await createVolunteers(api, ['vol-1', 'staff-2']);
    const network = await putTwoTierNetwork(api, 'home-1', watchers, 'crash test');
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
    await device.endAsync(true);
    const opened = await until(
      () => bridge.delivered(),
      (d) => d.length === 1,
    );
    expect(opened.map((d) => d.event)).toEqual(['alert.opened']);
    const [alert] = ((await api('GET', '/api/alerts')).body as { items: { id: string; openedAt: string }[] }).items;
    const dueAt = Date.parse(alert?.openedAt ?? '') + 60_000;

    await hub.kill9();
    hub = await startHubProcess(env, hub.dataDir);
    const after = await staffClient(hub.http);

    const escalated = await until(
      () => bridge.delivered().filter((d) => d.event === 'alert.escalated'),
      (d) => d.length > 0,
      90_000,
    );
    expect(escalated).toHaveLength(1);
    expect(Date.now()).toBeGreaterThanOrEqual(dueAt);
    const detail = (await after('GET', `/api/alerts/${alert?.id}`)).body as {
      timeline: { kind: string; detail: { tiers?: number[] } | null }[];
    };
    expect(detail.timeline.map((t) => [t.kind, t.detail?.tiers])).toEqual([
      ['opened', [0]],
      ['escalated', [1]],
    ]);
    // Tier 1's opening message went out once per delivery key, whatever the kill interrupted.
    expect(new Set(bridge.delivered().map((d) => d.deliveryKey)).size).toBe(bridge.delivered().length);
  }, 150_000);
});

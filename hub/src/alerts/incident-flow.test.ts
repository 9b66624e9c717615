import type { Alert, AlertDetail } from '@mimamori/contract';
import { afterEach, describe, expect, it } from 'vitest';
import type { IncidentRole, RaiseAlert } from '../ports/index.js';
import { startSmtpServer } from '../testing/receivers.js';
import { startTestCore, type TestCore } from '../testing/test-core.js';
import { createVolunteers, provisionDevice, putTwoTierNetwork } from '../testing/test-hub.js';
import { until } from '../testing/until.js';

const MINUTE = 60_000;
/** Monday 2026-11-23 10:00 in Tokyo. */
const MORNING = Date.parse('2026-11-23T10:00:00+09:00');
const ROLES: Record<string, IncidentRole | undefined> = {
  inactivity: 'leads',
  'inactivity.24h': 'leads',
  'silence.unusual': 'leads',
  'device.offline': 'joins',
  sos: undefined,
};

describe('one incident per home in the alert service (issue 18.4)', () => {
  let ctx: TestCore | undefined;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>> | undefined;
  afterEach(async () => {
    await ctx?.stop();
    await smtp?.close();
    ctx = undefined;
    smtp = undefined;
  });

  async function homeWithNetwork() {
    smtp = await startSmtpServer();
    const started = await startTestCore({ now: MORNING, smtp: { url: smtp.url, from: 'hub@example.jp' } });
    ctx = started;
    const api = await started.client();
    await provisionDevice(api, { homeId: 'home-1', deviceId: 'pir-1' });
    const [neighbour, council] = await createVolunteers(api, ['tanaka', 'suzuki'], { withEmail: true });
    expect((await putTwoTierNetwork(api, 'home-1', [neighbour ?? '', council ?? ''], 'test')).status).toBe(200);
    const { alerts } = started.core;
    const raise = (rule: string, severity: Alert['severity'] = 'warning') => {
      const decision: RaiseAlert = {
        kind: 'raise',
        homeId: 'home-1',
        residentId: undefined,
        rule,
        severity,
        message: { ja: `${rule}の理由`, en: `${rule} reason` },
        sourceEventSeq: undefined,
        occurredAt: undefined,
        incident: ROLES[rule],
      };
      return alerts.raise(decision, started.clock.now()).alert;
    };
    const clear = (rule: string) =>
      alerts.clear(
        { kind: 'clear', homeId: 'home-1', rule, reason: { ja: '動きあり', en: 'moving' }, incident: ROLES[rule] },
        started.clock.now(),
      );
    /** Deliveries queued so far for the home's watchers, over every alert. */
    const told = () => (started.stores.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
    const detail = async (id: string) => (await api('GET', `/api/alerts/${id}`)).body as AlertDetail;
    return { ctx: started, api, raise, clear, told, detail };
  }

  it('tells the network once about a fall that several rules see, lists every reason, and clears it when the last is over', async () => {
    const { ctx, raise, clear, told, detail } = await homeWithNetwork();
    const lead = raise('silence.unusual');
    const toldAtOpen = await told();
    expect(toldAtOpen).toBeGreaterThan(0);
    expect(lead.incidentId).toBe(lead.id);

    ctx.clock.advance(30 * MINUTE); // the incident escalates to the council tier, as any alert would
    const toldBefore = await told();
    expect(toldBefore).toBeGreaterThan(toldAtOpen);
    const reason = raise('inactivity');
    const offline = raise('device.offline');
    expect(await told()).toBe(toldBefore);
    expect(reason.incidentId).toBe(lead.id);
    expect(offline.incidentId).toBe(lead.id);
    const shown = await detail(lead.id);
    expect(shown.timeline.filter((e) => e.kind === 'reason_added').map((e) => e.detail)).toMatchObject([
      { rule: 'inactivity', message: { ja: 'inactivityの理由' } },
      { rule: 'device.offline' },
    ]);

    clear('device.offline');
    clear('silence.unusual');
    expect((await detail(lead.id)).status).toBe('open');
    expect((await detail(offline.id)).status).toBe('auto_resolved');
    expect(await told()).toBe(toldBefore);
    clear('inactivity');
    expect((await detail(lead.id)).status).toBe('auto_resolved');
    expect((await detail(reason.id)).status).toBe('auto_resolved');
    expect(await told()).toBeGreaterThan(toldBefore); // 解除 to everyone told
  });

  it('lets an SOS break through at once while the incident is open, and a critical reason raises the incident', async () => {
    const { raise, told, detail } = await homeWithNetwork();
    const lead = raise('inactivity');
    const toldAtOpen = await told();
    const sos = raise('sos', 'critical');
    expect(sos.incidentId).toBeNull();
    expect(await told()).toBeGreaterThan(toldAtOpen);

    const toldBefore = await told();
    raise('inactivity.24h', 'critical');
    expect((await detail(lead.id)).severity).toBe('critical');
    expect(await told()).toBeGreaterThan(toldBefore);
  });

  it('acts on the whole incident when staff acknowledge, give back or resolve any of its alerts', async () => {
    const { api, raise, detail } = await homeWithNetwork();
    const lead = raise('silence.unusual');
    const reason = raise('inactivity');
    expect((await api('POST', `/api/alerts/${reason.id}/ack`)).status).toBe(200);
    expect((await detail(lead.id)).status).toBe('acknowledged');
    expect((await detail(reason.id)).status).toBe('acknowledged');
    expect(raise('device.offline').status).toBe('acknowledged');
    // Given back (行けなくなりました): the whole incident is open again and telling resumes.
    expect((await api('POST', `/api/alerts/${lead.id}/release`)).status).toBe(200);
    expect((await detail(reason.id)).status).toBe('open');

    const resolved = await api('POST', `/api/alerts/${lead.id}/resolve`, { outcome: 'asleep' });
    expect(resolved.status).toBe(200);
    expect(await detail(reason.id)).toMatchObject({ status: 'resolved', outcome: 'asleep' });
    // The next silence is a new incident, told afresh.
    expect(raise('inactivity').incidentId).not.toBe(lead.id);
  });

  it('folds what the rules engine raises for a silent home into one incident, told once', async () => {
    const { ctx, api, detail } = await homeWithNetwork();
    const sensor = ctx.device(await provisionDevice(api, { homeId: 'home-1', deviceId: 'pir-2', kind: 'motion' }));
    // The resident is about in the morning (two triggers corroborate each other), then nothing.
    const alerts = async () => ((await api('GET', '/api/alerts?homeId=home-1')).body as { items: Alert[] }).items;
    await sensor.publish({ type: 'motion', occupied: true });
    ctx.clock.advance(5 * MINUTE);
    await sensor.publish({ type: 'motion', occupied: true });
    // The sensor keeps saying the room is empty (as Zigbee PIRs do): it is alive, the resident is still.
    for (let hour = 0; hour < 11; hour++) {
      ctx.clock.advance(60 * MINUTE);
      await sensor.publish({ type: 'motion', occupied: false });
    }
    const items = await until(alerts, (found) => found.filter((a) => a.incidentId !== null).length >= 2);
    const grouped = items.filter((a) => a.incidentId !== null);
    expect(grouped.length).toBeGreaterThanOrEqual(2);
    const leads = grouped.filter((a) => a.incidentId === a.id);
    expect(leads).toHaveLength(1);
    expect(grouped.every((a) => a.incidentId === leads[0]?.id)).toBe(true);
    expect((await detail(leads[0]?.id ?? '')).deliveries?.length).toBeGreaterThan(0);
    for (const reason of grouped.filter((a) => a.incidentId !== a.id))
      expect((await detail(reason.id)).deliveries).toEqual([]);
  });
});

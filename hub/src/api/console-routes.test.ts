import type {
  Absence,
  BacktestResult,
  Device,
  DeviceCredentials,
  Home,
  HomeActivity,
  RuleTypeInfo,
  UserProfile,
} from '@mimamori/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestDevice } from '../testing/device-client.js';
import { createVolunteers, provisionDevice, staffClient, startTestHub } from '../testing/test-hub.js';

type Api = Awaited<ReturnType<typeof staffClient>>;
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Monday 2026-11-23 09:00 in Japan. */
const NOW = Date.parse('2026-11-23T09:00:00+09:00');

/**
 * What the staff console needs from the API (issue 19), through the same routes, validation,
 * authorization and audit as any client.
 */
describe('the API behind the staff console', () => {
  let ctx: Awaited<ReturnType<typeof startTestHub>>;
  let staff: Api;
  let admin: Api;
  const at = (offset: number) => new Date(ctx.clock.now() + offset).toISOString();

  beforeAll(async () => {
    ctx = await startTestHub({ now: NOW });
    staff = await staffClient(ctx.http);
    admin = await staffClient(ctx.http, { username: 'admin', password: 'mimamori-demo-admin' });
  });
  afterAll(() => ctx.stop());

  it('records who recorded a consent, whatever the caller says, and keeps the key holder’s phone', async () => {
    const created = await staff('POST', '/api/homes', {
      id: 'h-consent',
      name: '佐藤さん宅',
      consent: { health: true, method: 'paper_form', recordedBy: 'someone-else', recordedAt: at(0) },
      responsePlan: { keyHolder: '隣の田中さん', keyHolderPhone: '090-1234-5678', entryConsent: true },
    });
    expect(created).toMatchObject({
      status: 201,
      body: {
        consent: { health: true, method: 'paper_form', recordedBy: 'staff' },
        responsePlan: { keyHolderPhone: '090-1234-5678' },
      },
    });
    const changed = (
      await admin('PATCH', '/api/homes/h-consent', { consent: { health: false, activity: true, recordedAt: at(0) } })
    ).body as Home;
    expect(changed.consent).toMatchObject({ health: false, activity: true, recordedBy: 'admin' });
    // Without a date there is no consent record, and nobody's name on it.
    const unrecorded = (await admin('PATCH', '/api/homes/h-consent', { consent: { health: false } })).body as Home;
    expect(unrecorded.consent.recordedBy).toBeUndefined();
    expect(
      (await staff('PATCH', '/api/homes/h-consent', { responsePlan: { keyHolderPhone: 'どこか' } })).body,
    ).toMatchObject({ error: { problem: 'bad_format', params: { format: 'phone' } } });
  });

  it('bounds an absence: a long one needs a staff member’s confirmation with a reason, and overlaps are refused', async () => {
    await staff('POST', '/api/homes', { id: 'h-away', name: '加藤さん宅' });
    const long = { reason: 'hospital', endsAt: at(120 * DAY) };
    expect((await staff('POST', '/api/homes/h-away/absences', long)).body).toMatchObject({
      error: { code: 'bad_request', problem: 'end_too_far', params: { maxDays: 90 }, field: 'body.endsAt' },
    });
    const confirmed = await staff('POST', '/api/homes/h-away/absences', {
      ...long,
      confirmLong: { reason: '長期入院の見込み（主治医より）' },
    });
    expect(confirmed.status).toBe(201);
    const audit = (await admin('GET', '/api/audit?homeId=h-away&action=absence.')).body as {
      items: { action: string; detail: unknown }[];
    };
    expect(audit.items.map((row) => row.action)).toEqual(['absence.long_confirmed', 'absence.create']);
    expect(audit.items[0]?.detail).toMatchObject({ reason: '長期入院の見込み（主治医より）' });

    const overlapping = await staff('POST', '/api/homes/h-away/absences', { reason: 'trip', endsAt: at(3 * DAY) });
    expect(overlapping).toMatchObject({
      status: 409,
      body: { error: { problem: 'absence_overlaps', params: { id: (confirmed.body as Absence).id } } },
    });
    // Upcoming absences are listed across homes when asked for, with who registered them.
    const upcoming = await staff('POST', '/api/homes/h-consent/absences', {
      reason: 'trip',
      startsAt: at(2 * DAY),
      endsAt: at(4 * DAY),
    });
    expect(upcoming.status).toBe(201);
    const active = (await staff('GET', '/api/absences')).body as { items: Absence[] };
    expect(active.items.map((a) => a.homeId)).toEqual(['h-away']);
    const all = (await staff('GET', '/api/absences?upcoming=true')).body as { items: Absence[] };
    expect(all.items.map((a) => [a.homeId, a.active, a.createdBy])).toEqual([
      ['h-consent', false, 'staff'],
      ['h-away', true, 'staff'],
    ]);
  });

  it('changes only the network settings a PATCH carries, and checks the result as a whole', async () => {
    await staff('POST', '/api/homes', { id: 'h-net', name: '伊藤さん宅' });
    const [tanaka, yamada] = await createVolunteers(staff, ['net-tanaka', 'net-yamada']);
    await staff('PUT', '/api/homes/h-net/network', {
      tiers: [
        { name: '近隣', watchers: [tanaka], ackTimeoutMinutes: 15 },
        { name: '社協', watchers: [yamada], ackTimeoutMinutes: 30, hours: { from: '09:00', to: '17:00' } },
      ],
      criticalTiersAtOnce: 1,
      ackReminderMinutes: 90,
      announceOnAck: true,
      reason: '初期設定',
    });
    const patched = await staff('PATCH', '/api/homes/h-net/network', {
      criticalStartTier: 2,
      reason: '緊急は社協から',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      criticalStartTier: 2,
      criticalTiersAtOnce: 1,
      ackReminderMinutes: 90,
      announceOnAck: true,
      tiers: [{ name: '近隣' }, { name: '社協', hours: { from: '09:00', to: '17:00' } }],
    });
    expect(
      (await staff('PATCH', '/api/homes/h-net/network', { criticalStartTier: 3, reason: 'x' })).body,
    ).toMatchObject({
      error: { problem: 'start_tier_beyond_tiers', params: { tiers: 2 }, field: 'body.criticalStartTier' },
    });
  });

  it('resets a password within the role rules, shows it once, ends the user’s sessions, and keeps staff from locking themselves out', async () => {
    const [id] = await createVolunteers(staff, ['reset-me']);
    const before = await staffClient(ctx.http, { username: 'reset-me', password: 'reset-me-password' });
    const reset = await staff('POST', `/api/users/${id}/password-reset`);
    expect(reset.status).toBe(201);
    const { password } = reset.body as { password: string };
    expect(password).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect((await before('GET', '/api/me')).status).toBe(401);
    expect((await (await staffClient(ctx.http, { username: 'reset-me', password }))('GET', '/api/me')).status).toBe(
      200,
    );

    const adminId = ((await admin('GET', '/api/me')).body as { user: { id: string } }).user.id;
    expect((await staff('POST', `/api/users/${adminId}/password-reset`)).body).toMatchObject({
      error: { problem: 'role_not_manageable' },
    });
    expect((await admin('PATCH', `/api/users/${adminId}`, { active: false })).body).toMatchObject({
      error: { code: 'forbidden', problem: 'not_yourself' },
    });
    const edited = (await staff('PATCH', `/api/users/${id}`, { phone: '058-123-4567', affiliation: '民生委員' }))
      .body as UserProfile;
    expect(edited).toMatchObject({ phone: '058-123-4567', affiliation: '民生委員', email: null, pushSubscriptions: 0 });
  });

  it('flags devices never heard from, offline or low on battery, worst first, and hands out credentials an installer can use', async () => {
    const speaker = await provisionDevice(staff, { homeId: 'h-dev', deviceId: 'h-dev-speaker', kind: 'speaker' });
    await staff('POST', '/api/devices', { id: 'h-dev-door', homeId: 'h-dev', kind: 'door' });
    const door = (await staff('POST', '/api/devices/h-dev-door/credentials')).body as DeviceCredentials;
    expect(door).toMatchObject({
      mqttUrl: ctx.mqtt,
      topics: {
        event: 'mimamori/v1/h-dev/h-dev-door/event',
        status: 'mimamori/v1/h-dev/h-dev-door/status',
        command: 'mimamori/v1/h-dev/h-dev-door/command',
      },
      issuedAt: at(0),
    });
    const heard = await connectTestDevice(ctx, speaker);
    await heard.publish({ type: 'heartbeat', battery: 9 });
    await heard.end();
    const attention = (await staff('GET', '/api/devices?homeId=h-dev&attention=true')).body as { items: Device[] };
    expect(attention.items.map((d) => [d.id, d.lastSeenAt === null, d.battery])).toEqual([
      ['h-dev-door', true, null],
      ['h-dev-speaker', false, 9],
    ]);
    expect(attention.items[0]?.credentialsIssuedAt).toBe(at(0));
  });

  it('previews a schedule’s next five prompts in its time zone, and names a cron the hub cannot read', async () => {
    const preview = await staff('POST', '/api/schedules/preview', { cron: '0 9,17 * * *', timezone: 'Asia/Tokyo' });
    expect((preview.body as { times: string[] }).times).toEqual([
      '2026-11-23T08:00:00.000Z',
      '2026-11-24T00:00:00.000Z',
      '2026-11-24T08:00:00.000Z',
      '2026-11-25T00:00:00.000Z',
      '2026-11-25T08:00:00.000Z',
    ]);
    expect((await staff('POST', '/api/schedules/preview', { cron: '61 9 * * *' })).body).toMatchObject({
      error: { problem: 'cron_invalid', field: 'body.cron' },
    });
  });

  it('counts a home’s activity per local day and hour, audited, and serves rule types with their words', async () => {
    const motion = await connectTestDevice(
      ctx,
      await provisionDevice(staff, { homeId: 'h-act', deviceId: 'h-act-motion', kind: 'motion' }),
    );
    // The hub refuses events stamped before their device was registered (issue 23): these come an hour later.
    const registered = ctx.clock.now();
    ctx.clock.advance(2 * HOUR);
    await motion.publish({ type: 'motion', occupied: true, ts: registered + HOUR });
    await motion.publish({ type: 'motion', occupied: false, ts: registered + HOUR + 60_000 });
    await motion.end();
    const activity = (await staff('GET', '/api/homes/h-act/activity?days=3')).body as HomeActivity;
    expect(activity.days.map((d) => d.date)).toEqual(['2026-11-21', '2026-11-22', '2026-11-23']);
    // The PIR clearing itself is nobody: one movement.
    expect(activity.days[2]?.hours[10]).toBe(1);
    const audit = (await admin('GET', '/api/audit?homeId=h-act&action=activity.view')).body as { items: unknown[] };
    expect(audit.items).toHaveLength(1);

    const types = (await staff('GET', '/api/rule-types')).body as { items: RuleTypeInfo[] };
    const inactivity = types.items.find((type) => type.type === 'inactivity');
    expect(inactivity).toMatchObject({
      name: { ja: '生活の動きがない' },
      fields: { durationMinutes: { label: { ja: '動きがない時間' }, unit: { ja: '分' } } },
      params: { properties: { durationMinutes: { default: 480 } } },
    });
  });

  it('backtests a home whose history starts late without calling the weeks before it inactivity, and says where history starts', async () => {
    const motion = await connectTestDevice(
      ctx,
      await provisionDevice(staff, { homeId: 'h-new', deviceId: 'h-new-motion', kind: 'motion' }),
    );
    // The sensor was installed six hours ago (its first message, a heartbeat) and has seen movement every hour since.
    const installed = ctx.clock.now();
    ctx.clock.advance(6 * HOUR);
    await motion.publish({ type: 'heartbeat', ts: installed });
    for (let ts = installed + HOUR; ts < ctx.clock.now(); ts += HOUR)
      await motion.publish({ type: 'motion', occupied: true, ts });
    await motion.end();
    const result = (
      await staff('POST', '/api/rules/inactivity.24h/backtest', { from: at(-14 * DAY), to: at(0), homes: ['h-new'] })
    ).body as BacktestResult;
    expect(result.live.alerts).toEqual([]);
    const span = (await staff('GET', '/api/history-span')).body as { from: string; to: string };
    expect(Date.parse(span.from)).toBeLessThanOrEqual(installed);
    expect(span.to).toBe(at(0));
  });
});

import type { Alert } from '@mimamori/contract';
import { connectTestDevice, type TestDevice } from './device-client.js';
import type { FakeAmazon } from './fake-amazon.js';
import { FakeEcho } from './fake-echo.js';
import { provisionDevice, staffClient, type startTestHub } from './test-hub.js';
import { until } from './until.js';

type TestHub = Awaited<ReturnType<typeof startTestHub>>;
export type Api = Awaited<ReturnType<typeof staffClient>>;

/** Who calls: nobody logged in, a watcher of each kind, staff, an admin. */
export const CALLERS = ['anonymous', 'volunteer', 'family', 'staff', 'admin'] as const;
export type Caller = (typeof CALLERS)[number];

/**
 * The homes a volunteer and a family member meet: one in their network whose resident shares
 * everything, one in their network whose resident withdrew consent, one outside their network.
 */
export const HOME_CASES = ['consented', 'withdrawn', 'outside'] as const;
export type HomeCase = (typeof HOME_CASES)[number];

/** Words that appear only in what consent hides: the concern alert's health answer and the medical note. */
export const HEALTH_WORDS = '体調が悪い';
export const MEDICAL_NOTE = '糖尿病（インスリン注射）';

const PASSWORD = 'a long shared test passphrase 42';

/**
 * Three watched homes on a running test hub, each with a resident, a check-in schedule, a
 * speaker, an active absence, sensor activity and an open `checkin.concern` alert whose words
 * carry the resident's health answer; API clients for every caller.
 */
export async function setUpWatchedHomes(ctx: TestHub, amazon?: FakeAmazon) {
  const staff = await staffClient(ctx.http);
  const admin = await staffClient(ctx.http, { username: 'admin', password: 'mimamori-demo-admin' });
  const anonymous: Api = async (method, path, body) => {
    const response = await fetch(`${ctx.http}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body:
        text && response.headers.get('content-type')?.startsWith('application/json')
          ? (JSON.parse(text) as unknown)
          : text,
    };
  };
  const addUser = async (username: string, role: 'volunteer' | 'family') => {
    const created = await staff('POST', '/api/users', { username, displayName: username, role, password: PASSWORD });
    if (created.status !== 201) throw new Error(`cannot add ${username}: ${JSON.stringify(created.body)}`);
    return (created.body as { id: string }).id;
  };
  const volunteerId = await addUser('minsei', 'volunteer');
  const familyId = await addUser('kazoku', 'family');
  const neighbourId = await addUser('tonari', 'volunteer');

  const homeId = (home: HomeCase) => `h-${home}`;
  const networkOf = (home: HomeCase) => ({
    tiers: [
      { name: '近隣', watchers: home === 'outside' ? [neighbourId] : [volunteerId, familyId], ackTimeoutMinutes: 15 },
    ],
    reason: 'authorization test',
  });
  const consentOf = (home: HomeCase) => {
    const given = home !== 'withdrawn';
    return { health: given, activity: given, medical: given, recordedAt: new Date(ctx.clock.now()).toISOString() };
  };
  const residentId = (home: HomeCase) => `h-${home}-r1`;
  const devices = new Map<HomeCase, TestDevice>();
  const day = 86_400_000;
  for (const home of HOME_CASES) {
    const id = homeId(home);
    devices.set(
      home,
      await connectTestDevice(
        ctx,
        await provisionDevice(staff, { homeId: id, deviceId: `${home}-speaker`, kind: 'speaker' }),
      ),
    );
    await expectOk(
      staff('PATCH', `/api/homes/${id}`, {
        address: '岐阜市本町1-2-3',
        consent: { health: true, activity: true, medical: true, recordedAt: new Date(ctx.clock.now()).toISOString() },
        responsePlan: { keyHolder: '隣の田中さん', entryConsent: true, medicalNotes: MEDICAL_NOTE },
      }),
    );
    await expectOk(staff('PUT', `/api/homes/${id}/network`, networkOf(home)));
    await expectOk(staff('POST', `/api/residents/${residentId(home)}/schedules`, { cron: '0 9 * * *' }));
    await expectOk(
      staff('POST', `/api/homes/${id}/absences`, {
        reason: 'hospital',
        note: '肺炎で入院',
        endsAt: new Date(ctx.clock.now() + 3 * day).toISOString(),
      }),
    );
    await devices.get(home)?.publish({ type: 'motion', occupied: true, room: 'living' });
  }
  // Withdrawn: the resident agreed once and took it back (the paper form of withdrawal).
  await expectOk(staff('PATCH', `/api/homes/${homeId('withdrawn')}`, { consent: consentOf('withdrawn') }));

  let made = 0;
  /** A further home set up like the case's home (network and consent), for calls that delete one. */
  const disposableHome = async (home: HomeCase): Promise<string> => {
    const id = `${homeId(home)}-d${++made}`;
    await expectOk(staff('POST', '/api/homes', { id, name: `${id} 宅`, consent: consentOf(home) }));
    await expectOk(staff('PUT', `/api/homes/${id}/network`, networkOf(home)));
    return id;
  };

  /**
   * An alert of the home that is open (not yet acknowledged) and speaks of the resident's health:
   * the one there is, or a new one after resolving an acknowledged one.
   */
  const openAlert = async (home: HomeCase): Promise<Alert> => {
    const concerns = async () =>
      ((await staff('GET', `/api/alerts?homeId=${homeId(home)}`)).body as { items: Alert[] }).items.filter(
        (a) => a.rule === 'checkin.concern' && (a.status === 'open' || a.status === 'acknowledged'),
      );
    const [current] = await concerns();
    if (current?.status === 'open') return current;
    if (current) await expectOk(staff('POST', `/api/alerts/${current.id}/resolve`, { outcome: 'fine' }));
    await devices.get(home)?.publish({ type: 'checkin', answer: 'unwell', via: 'voice' });
    const [fresh] = await until(concerns, (alerts) => alerts.length === 1);
    if (fresh?.status !== 'open') throw new Error(`no open checkin.concern alert for ${homeId(home)}`);
    return fresh;
  };
  for (const home of HOME_CASES) await openAlert(home);

  /** An Echo paired to the home the way a resident pairs one (the hub must trust `amazon`); its device id. */
  const pairEcho = async (home: HomeCase): Promise<string> => {
    if (!amazon) throw new Error('pairEcho needs the hub started with a FakeAmazon');
    const { code } = (await expectOk(staff('POST', `/api/homes/${homeId(home)}/alexa/pairing-codes`))).body as {
      code: string;
    };
    const echo = new FakeEcho(
      amazon,
      async (headers, body) => {
        const response = await fetch(`${ctx.http}/alexa`, { method: 'POST', headers, body });
        return { status: response.status, body: (await response.json()) as unknown };
      },
      ctx.clock,
    );
    const paired = await echo.pair(code);
    if (paired.status !== 200) throw new Error(`pairing an Echo failed: ${JSON.stringify(paired.body)}`);
    const echos = (await staff('GET', `/api/homes/${homeId(home)}/alexa/echos`)).body as {
      items: { deviceId: string; pairedAt: string }[];
    };
    return echos.items.at(-1)?.deviceId ?? '';
  };
  ctx.clock.advance(60_000);

  const clients: Record<Caller, Api> = {
    anonymous,
    volunteer: await staffClient(ctx.http, { username: 'minsei', password: PASSWORD }),
    family: await staffClient(ctx.http, { username: 'kazoku', password: PASSWORD }),
    staff,
    admin,
  };
  return {
    clients,
    usernames: {
      anonymous: '',
      volunteer: 'minsei',
      family: 'kazoku',
      staff: 'staff',
      admin: 'admin',
    } satisfies Record<Caller, string>,
    now: () => ctx.clock.now(),
    homeId,
    residentId,
    networkOf,
    disposableHome,
    openAlert,
    pairEcho,
    async end() {
      await Promise.all([...devices.values()].map((device) => device.end()));
    },
  };
}

export type WatchedHomes = Awaited<ReturnType<typeof setUpWatchedHomes>>;

/** Fails the set-up loudly rather than letting a later case fail for the wrong reason. */
export async function expectOk(call: Promise<{ status: number; body: unknown }>) {
  const answer = await call;
  if (answer.status >= 300) throw new Error(`set-up call failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

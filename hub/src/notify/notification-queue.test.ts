import type { Home, UserProfile } from '@mimamori/contract';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics/index.js';
import { anAlert } from '../testing/alert-fixture.js';
import type { Contact, QueuedDelivery } from '../store/index.js';
import { CHANNELS } from './channels/index.js';
import { NotificationQueue } from './notification-queue.js';

const NOW = Date.parse('2026-11-23T09:00:00+09:00');
const DAY = 24 * 60 * 60_000;
const HOME: Home = {
  id: 'home-1',
  name: '佐藤さん宅',
  address: null,
  district: '北地区',
  timezone: 'Asia/Tokyo',
  consent: { health: false, activity: false, medical: false },
  responsePlan: { entryConsent: false },
  createdAt: new Date(NOW).toISOString(),
  updatedAt: new Date(NOW).toISOString(),
};
const ALERT = anAlert({
  id: 'al_1',
  homeId: 'home-1',
  residentId: null,
  rule: 'sos',
  severity: 'critical',
  message: { ja: 'SOSボタンが押されました。', en: 'SOS button pressed.' },
  openedAt: new Date(NOW).toISOString(),
  updatedAt: new Date(NOW).toISOString(),
});
const person = (id: string, email: string | null): UserProfile => ({
  id,
  username: id,
  displayName: id,
  role: 'volunteer',
  email,
  phone: null,
  language: 'ja',
  affiliation: null,
  pushSubscriptions: 0,
  active: true,
});
const CONTACTS: Record<string, Contact> = {
  tanaka: {
    user: person('tanaka', 'tanaka@example.jp'),
    push: [{ endpoint: 'https://push.example/1', keys: { p256dh: 'p', auth: 'a' } }],
  },
  suzuki: { user: person('suzuki', null), push: [] },
};

/** The built-in channels that reach a person at an address, as the hub sets them up. */
const PERSONAL = CHANNELS.flatMap(({ name, addressesOf }) => (addressesOf ? [{ name, addressesOf }] : []));

function setUp(personal = PERSONAL) {
  const queued: QueuedDelivery[] = [];
  const warnings: string[] = [];
  const queue = new NotificationQueue({
    repository: { queueDelivery: (_alertId, delivery) => void queued.push(delivery) },
    homes: { get: () => HOME },
    users: { contact: (id) => CONTACTS[id] },
    ruleTypeOf: () => 'sos',
    personal,
    publicUrl: () => 'https://hub.example',
    onQueued: () => undefined,
    metrics: createMetrics(),
    logger: pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) }),
  });
  const tell = (userIds: string[], now: number) =>
    queue.queue({ alert: ALERT, transition: 1, event: 'alert.opened' }, { userIds, webhookUrls: [] }, now);
  return { queued, warnings, tell };
}

describe('NotificationQueue', () => {
  it('queues one delivery per channel and address of each watcher, for channels it knows only as data', () => {
    const line = { name: 'line', addressesOf: (c: Contact) => [`U-${c.user.username}`] };
    const { queued, tell } = setUp([
      ...CHANNELS.flatMap((c) => (c.addressesOf ? [{ name: c.name, addressesOf: c.addressesOf }] : [])),
      line,
    ]);
    tell(['tanaka'], NOW);
    expect(queued.map((d) => [d.channel, d.recipient])).toEqual([
      ['email', 'tanaka'],
      ['push', 'tanaka'],
      ['line', 'tanaka'],
    ]);
    expect(queued.find((d) => d.channel === 'line')?.target).toBe('U-tanaka');
  });

  it('warns about a watcher it cannot reach once a day, not once per alert', () => {
    const { warnings, tell } = setUp();
    tell(['suzuki'], NOW);
    tell(['suzuki'], NOW + 60_000);
    tell(['suzuki'], NOW + DAY - 1);
    expect(warnings).toHaveLength(1);
    tell(['suzuki'], NOW + DAY);
    expect(warnings).toHaveLength(2);
    expect(JSON.parse(warnings[0] ?? '{}')).toMatchObject({ userId: 'suzuki', alertId: 'al_1' });
  });
});

import { createECDH, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, UserRepository, type OutboxItem } from '../store/index.js';
import { startSmtpServer } from '../testing/receivers.js';
import { selfSignedCertificate } from '../testing/tls.js';
import type { DeliveryPayload } from './delivery.js';
import { EmailChannel } from './channels/index.js';
import { WebPushChannel } from './channels/index.js';
import webpush from 'web-push';

const payload: DeliveryPayload = {
  event: 'alert.opened',
  message: { subject: '【緊急】佐藤さん宅', text: '【緊急】佐藤さん宅\nSOSボタンが押されました' },
  link: 'http://hub/#/alerts/a_1',
};
const item = (over: Partial<OutboxItem>): OutboxItem => ({
  id: 1,
  alertId: 'a_1',
  channel: 'email',
  target: '',
  recipient: 'u_1',
  payload: JSON.stringify(payload),
  dedupKey: 'a_1:7:email:x',
  attempts: 0,
  ...over,
});

describe('channels against real servers', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('e-mails the message with its delivery key, and reads an SMTP 550 as permanent', async () => {
    const smtp = await startSmtpServer();
    cleanups.push(smtp.close);
    const channel = new EmailChannel({ url: smtp.url, from: '見守りハブ <hub@example.jp>' }, 5000);
    cleanups.push(() => channel.close());
    expect(await channel.send(item({ target: 'tanaka@example.jp' }), payload)).toEqual({ ok: true });
    expect(smtp.mails).toMatchObject([
      {
        to: 'tanaka@example.jp',
        subject: '【緊急】佐藤さん宅',
        text: expect.stringContaining('SOSボタンが押されました'),
      },
    ]);
    expect(smtp.mails[0]?.headers.get('x-mimamori-delivery')).toBe('a_1:7:email:x');

    const refusing = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (_address, _session, callback) =>
        callback(Object.assign(new Error('no such mailbox'), { responseCode: 550 })),
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => refusing.close(() => resolve())));
    const toRefusing = new EmailChannel(
      { url: `smtp://127.0.0.1:${(refusing.server.address() as AddressInfo).port}`, from: 'hub@example.jp' },
      5000,
    );
    cleanups.push(() => toRefusing.close());
    expect(await toRefusing.send(item({ target: 'gone@example.jp' }), payload)).toMatchObject({
      ok: false,
      permanent: true,
      error: expect.stringMatching(/^SMTP 550/),
    });
  });

  it('reads a lost SMTP server as worth retrying', async () => {
    const channel = new EmailChannel({ url: 'smtp://127.0.0.1:9', from: 'hub@example.jp' }, 2000);
    cleanups.push(() => channel.close());
    expect(await channel.send(item({ target: 'tanaka@example.jp' }), payload)).toMatchObject({
      ok: false,
      permanent: false,
    });
  });

  it('sends Web Push encrypted and signed with VAPID, and forgets a subscription the push service says is gone', async () => {
    const seen: { headers: IncomingHttpHeaders; bytes: number }[] = [];
    let status = 201;
    const tls = selfSignedCertificate();
    const pushService = createServer(tls, (request, response) => {
      let bytes = 0;
      request.on('data', (chunk: Buffer) => (bytes += chunk.length));
      request.on('end', () => {
        seen.push({ headers: request.headers, bytes });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => pushService.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => pushService.close());
    const db = openDatabase(':memory:');
    const users = new UserRepository(db);
    const user = users.create({ username: 'tanaka', displayName: '田中', role: 'volunteer', passwordHash: 'x' }, 0);
    const browser = createECDH('prime256v1');
    browser.generateKeys();
    const subscription = {
      endpoint: `https://127.0.0.1:${(pushService.address() as AddressInfo).port}/push/abc`,
      keys: { p256dh: browser.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
    };
    users.addPushSubscription(user.id, subscription, 0);
    const channel = new WebPushChannel(
      { ...webpush.generateVAPIDKeys(), subject: 'mailto:admin@example.jp' },
      users,
      5000,
      new Agent({ ca: tls.cert }),
    );

    expect(
      await channel.send(item({ channel: 'push', target: JSON.stringify(subscription) }), payload, Date.now()),
    ).toEqual({ ok: true });
    expect(seen[0]?.headers).toMatchObject({
      'content-encoding': 'aes128gcm',
      authorization: expect.stringMatching(/^vapid t=.+, k=.+/),
      urgency: 'high',
    });
    expect(seen[0]?.bytes).toBeGreaterThan(100);

    status = 410;
    expect(
      await channel.send(item({ channel: 'push', target: JSON.stringify(subscription) }), payload, Date.now()),
    ).toMatchObject({ ok: false, permanent: true, error: 'HTTP 410' });
    expect(users.contact(user.id)?.push).toEqual([]);
  });
});

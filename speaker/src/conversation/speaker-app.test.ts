import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceCommand, DeviceEventBody, DeviceEventInput } from '@mimamori/contract';
import { silentLog, type PromptCommand } from '@mimamori/device-link';
import { ManualClock } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import { RecordingMouth, settle } from '../testing/recording-mouth.js';
import { Deliveries } from './deliveries.js';
import { Outbox } from './outbox.js';
import { SpeakerApp } from './speaker-app.js';

const MINUTE = 60_000;
/** Monday 2026-11-23 09:00 in Tokyo. */
const NINE = Date.parse('2026-11-23T09:00:00+09:00');

/**
 * The speaker's behaviour on a manual clock: the real outbox (in a temp dir) and deliveries;
 * the link's send is a function the test acknowledges, as the hub's PUBACK would.
 */
function speaker(start = NINE) {
  const clock = new ManualClock(start);
  const mouth = new RecordingMouth();
  const sent: DeviceEventInput[] = [];
  const acks: (() => void)[] = [];
  const link = {
    connected: true,
    published: [] as DeviceEventBody[],
    publish: (b: DeviceEventBody) => link.published.push(b),
  };
  const outbox = new Outbox({
    dir: mkdtempSync(join(tmpdir(), 'speaker-app-')),
    send: (event) => new Promise<void>((ack) => (sent.push(event), acks.push(ack))),
    clock,
    log: silentLog,
  });
  outbox.load();
  let n = 0;
  const deliveries = new Deliveries({
    outbox,
    mouth,
    stamp: (body) => ({ ...body, id: `e${++n}`, ts: clock.now() }),
    clock,
    log: silentLog,
    emergencyNumber: '119',
    keptNoticeMs: 10_000,
    sosUndeliveredMs: MINUTE,
  });
  const app = new SpeakerApp({
    link,
    outbox,
    deliveries,
    mouth,
    recogniser: undefined,
    clock,
    log: silentLog,
    settings: {
      language: 'ja',
      quietHours: { from: '21:00', to: '07:00' },
      timeZone: 'Asia/Tokyo',
      answerWaitMs: 20_000,
      heartbeatMs: 5 * MINUTE,
    },
  });
  app.start();
  app.onConnection(true);
  const ackAll = async () => {
    acks.splice(0).forEach((ack) => ack());
    await settle();
  };
  return { clock, mouth, sent, link, outbox, app, ackAll };
}

const prompt = (promptId: string, overrides: Partial<PromptCommand> = {}): DeviceCommand => ({
  type: 'prompt',
  id: `c-${promptId}`,
  promptId,
  residentId: 'r1',
  text: '今日の体調はいかがですか？',
  lang: 'ja',
  choices: ['fine', 'unwell', 'help'],
  items: [],
  expiresAt: new Date(NINE + 60 * MINUTE).toISOString(),
  ...overrides,
});
const green = { button: 'green', long: false } as const;

describe('the speaker', () => {
  it('answers a prompt by button and says it passed the answer on only once the hub acknowledged it', async () => {
    const { app, mouth, sent, ackAll } = speaker();
    app.onCommand(prompt('p1'));
    await settle();
    app.onPress(green);
    await settle();
    expect(sent).toMatchObject([{ type: 'checkin', promptId: 'p1', residentId: 'r1', answer: 'fine', via: 'button' }]);
    expect(mouth.kinds()).toEqual(['prompt']);
    await ackAll();
    expect(mouth.said.at(-1)).toMatchObject({
      kind: 'confirmation',
      text: '元気とお伝えしました。ありがとうございます。',
    });
  });

  it('says an answer is kept when the hub does not acknowledge it in 10 s, and sends it on reconnect with its time', async () => {
    const { app, mouth, sent, clock, ackAll } = speaker();
    app.onConnection(false);
    app.onPress({ button: 'yellow', long: false });
    await settle();
    expect(sent).toEqual([]);
    clock.advance(10_000);
    await settle();
    expect(mouth.said.at(-1)?.text).toMatch(/^いまは見守りにつながっていません。お返事はお預かりして/);
    clock.advance(30 * MINUTE);
    app.onConnection(true);
    expect(sent).toMatchObject([{ type: 'checkin', answer: 'unwell', ts: NINE }]);
    expect(sent[0]).not.toHaveProperty('promptId');
    await ackAll();
    expect(mouth.said.at(-1)?.kind).toBe('kept'); // no puzzling confirmation half an hour later
  });

  it('raises an SOS from red at any time, confirms it once acknowledged, and a second press raises no second SOS', async () => {
    const { app, mouth, sent, ackAll, clock } = speaker();
    app.onPress({ button: 'red', long: false });
    await settle();
    expect(sent).toMatchObject([{ type: 'sos', via: 'button' }]);
    expect(mouth.said[0]).toMatchObject({ kind: 'sos', text: 'お知らせしています。' });
    await ackAll();
    expect(mouth.said.at(-1)).toMatchObject({ kind: 'sos-delivered', text: '見守りの方にお知らせしました。' });
    clock.advance(MINUTE);
    app.onPress({ button: 'red', long: false });
    await settle();
    expect(sent).toHaveLength(1);
    expect(mouth.said.at(-1)?.text).toBe('見守りの方にお知らせしました。');
    clock.advance(2 * MINUTE);
    app.onPress({ button: 'red', long: false });
    expect(sent).toHaveLength(2);
  });

  it('silences what it was saying when red is pressed, and says the SOS at once', async () => {
    const { app, mouth } = speaker();
    app.onCommand({ type: 'announce', id: 'a1', text: '民生委員の田中さんが向かっています。', lang: 'ja' });
    app.onPress({ button: 'red', long: false });
    await settle();
    expect(mouth.said.map((s) => [s.kind, s.end])).toEqual([
      ['announce', 'stopped'],
      ['sos', undefined],
    ]);
  });

  it('tells the resident plainly to call 119 when an SOS has not reached the hub within a minute', async () => {
    const { app, mouth, clock, ackAll } = speaker();
    app.onConnection(false);
    app.onPress({ button: 'red', long: false });
    clock.advance(MINUTE - 1);
    await settle();
    expect(mouth.kinds()).toEqual(['sos']);
    clock.advance(1);
    await settle();
    expect(mouth.said.at(-1)).toMatchObject({
      kind: 'sos-undelivered',
      text: 'まだ見守りの方にお知らせできていません。お急ぎのときは、119番に電話してください。',
    });
    app.onConnection(true);
    await ackAll();
    expect(mouth.said.at(-1)?.kind).toBe('sos-delivered');
  });

  it('takes red during a prompt as the answer 「助けて」 to it, with the same urgency', async () => {
    const { app, sent, mouth, ackAll } = speaker();
    app.onCommand(prompt('p1'));
    await settle();
    app.onPress({ button: 'red', long: false });
    await settle();
    expect(sent).toMatchObject([{ type: 'checkin', promptId: 'p1', answer: 'help', via: 'button' }]);
    await ackAll();
    expect(mouth.said.at(-1)?.text).toBe('見守りの方にお知らせしました。');
  });

  it('does not say an expired prompt, and holds a night prompt to 07:00 unless it is urgent', async () => {
    const { app, mouth, clock } = speaker(Date.parse('2026-11-23T23:00:00+09:00'));
    app.onCommand(prompt('old', { expiresAt: new Date(clock.now() - 1).toISOString() }));
    const morning = Date.parse('2026-11-24T07:00:00+09:00');
    app.onCommand(prompt('night', { expiresAt: new Date(morning + 60 * MINUTE).toISOString() }));
    await settle();
    expect(mouth.said).toEqual([]);
    app.onCommand(
      prompt('heat', {
        urgent: true,
        text: '室温が30℃まで上がっています。大丈夫ですか？',
        expiresAt: new Date(clock.now() + 30 * MINUTE).toISOString(),
      }),
    );
    await settle();
    expect(mouth.said.map((s) => s.text)).toEqual(['室温が30℃まで上がっています。大丈夫ですか？']);
    app.onPress(green);
    await settle();
    clock.advance(morning - clock.now() - 1);
    await settle();
    expect(mouth.said.filter((s) => s.kind === 'prompt')).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(mouth.said.filter((s) => s.kind === 'prompt')).toHaveLength(2);
  });

  it('drops a held prompt that expires before the morning, and one that is cancelled', async () => {
    const { app, mouth, clock } = speaker(Date.parse('2026-11-23T22:00:00+09:00'));
    app.onCommand(prompt('short', { expiresAt: new Date(clock.now() + 60 * MINUTE).toISOString() }));
    app.onCommand(prompt('cancelled', { expiresAt: '2026-11-24T09:00:00+09:00' }));
    app.onCommand({ type: 'cancel', id: 'x', promptId: 'cancelled' });
    clock.advance(10 * 60 * MINUTE);
    await settle();
    expect(mouth.said).toEqual([]);
  });

  it('stops a prompt mid-sentence when the hub cancels it, and asks the next one', async () => {
    const { app, mouth } = speaker();
    app.onCommand(prompt('p1'));
    app.onCommand(prompt('p2', { residentId: 'r2', text: '二人目の方に伺います。' }));
    await settle();
    expect(mouth.said).toHaveLength(1);
    app.onCommand({ type: 'cancel', id: 'x', promptId: 'p1' });
    await settle();
    expect(mouth.said[0]?.end).toBe('stopped');
    expect(mouth.said[1]?.text).toBe('二人目の方に伺います。');
  });

  it('asks the next prompt only after the resident heard what became of the last answer', async () => {
    const { app, mouth, ackAll } = speaker();
    app.onCommand(prompt('p1'));
    app.onCommand(prompt('p2', { residentId: 'r2', text: '二人目の方に伺います。' }));
    await settle();
    app.onPress(green);
    await settle();
    expect(mouth.kinds()).toEqual(['prompt']);
    await ackAll();
    expect(mouth.said.map((s) => s.text)).toEqual([
      '今日の体調はいかがですか？',
      '元気とお伝えしました。ありがとうございます。',
      '二人目の方に伺います。',
    ]);
  });

  it('does not ask again what is being asked or was answered here (a re-prompt that crossed the answer)', async () => {
    const { app, mouth } = speaker();
    app.onCommand(prompt('p1'));
    await settle();
    app.onCommand(prompt('p1', { text: 'さとうさん、見守りの確認です。' }));
    app.onPress(green);
    await settle();
    app.onCommand(prompt('p1', { text: 'さとうさん、見守りの確認です。' }));
    await settle();
    expect(mouth.kinds().filter((k) => k === 'prompt')).toHaveLength(1);
  });

  it('asks a prompt that went unanswered again on the repeat button', async () => {
    const { app, mouth, clock } = speaker();
    app.onCommand(prompt('p1'));
    for (let i = 0; i < 2; i++) {
      await settle();
      mouth.finish();
      await settle();
      clock.advance(20_000);
    }
    await settle();
    expect(mouth.kinds()).toEqual(['prompt', 'prompt']);
    app.onPress({ button: 'repeat', long: false });
    await settle();
    expect(mouth.kinds()).toEqual(['prompt', 'prompt', 'prompt']);
  });

  it('says who is coming, after a chime, whatever the hour', async () => {
    const { app, mouth } = speaker(Date.parse('2026-11-24T02:00:00+09:00'));
    app.onCommand({ type: 'announce', id: 'a1', text: '民生委員の田中さんが向かっています。', lang: 'ja' });
    await settle();
    expect(mouth.said).toMatchObject([{ kind: 'announce', chime: true, text: '民生委員の田中さんが向かっています。' }]);
  });

  it('says the connection status on a long green press, with answers still waiting', async () => {
    const { app, mouth, link } = speaker();
    app.onPress({ button: 'green', long: true });
    link.connected = false;
    app.onConnection(false);
    app.onPress({ button: 'yellow', long: false });
    app.onPress({ button: 'green', long: true });
    await settle();
    expect(mouth.said.filter((s) => s.kind === 'status').map((s) => s.text)).toEqual([
      '見守りにつながっています。',
      '見守りにつながっていません。まだお伝えしていないお返事が1件あります。',
    ]);
  });

  it('sends a heartbeat every 5 minutes while connected', () => {
    const { clock, link } = speaker();
    clock.advance(5 * MINUTE);
    expect(link.published).toEqual([{ type: 'heartbeat' }]);
    link.connected = false;
    clock.advance(5 * MINUTE);
    expect(link.published).toHaveLength(1);
  });
});

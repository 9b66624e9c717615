import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceEventInput } from '@mimamori/contract';
import { silentLog } from '@mimamori/device-link';
import { ManualClock } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import { Outbox } from './outbox.js';

/**
 * The hub end of the outbox is the device link (tested against a real hub in device-link and
 * end to end in tests/speaker-processes.test.ts); here a function that acknowledges when told.
 */
function hub() {
  const received: DeviceEventInput[] = [];
  const waiting: { event: DeviceEventInput; ack: () => void; fail: (e: Error) => void }[] = [];
  const send = (event: DeviceEventInput) =>
    new Promise<void>((ack, fail) => {
      received.push(event);
      waiting.push({ event, ack, fail });
    });
  return { received, waiting, send, ackAll: () => waiting.splice(0).forEach((w) => w.ack()) };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const sos = (id: string, ts: string): DeviceEventInput => ({ id, ts, type: 'sos', via: 'button' });

describe('the outbox', () => {
  it('keeps events on disk until acknowledged, and a new run sends them with their own id and time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    const first = hub();
    const before = new Outbox({
      dir,
      send: first.send,
      clock: new ManualClock(Date.parse('2026-11-23T09:00:00+09:00')),
      log: silentLog,
    });
    before.load();
    before.add(sos('s1-1', '2026-11-23T09:00:00.000+09:00'));
    before.add({ id: 's1-2', ts: '2026-11-23T09:01:00.000+09:00', type: 'checkin', answer: 'fine', via: 'button' });
    expect(first.received).toEqual([]); // offline: nothing sent
    expect(readdirSync(dir)).toHaveLength(2);

    // The speaker restarts (power cut): nothing was acknowledged.
    const second = hub();
    const after = new Outbox({
      dir,
      send: second.send,
      clock: new ManualClock(Date.parse('2026-11-23T09:00:00+09:00')),
      log: silentLog,
    });
    expect(after.load()).toBe(2);
    after.setOnline(true);
    expect(second.received.map((e) => [e.id, e.ts, e.type])).toEqual([
      ['s1-1', '2026-11-23T09:00:00.000+09:00', 'sos'],
      ['s1-2', '2026-11-23T09:01:00.000+09:00', 'checkin'],
    ]);
    second.ackAll();
    await turn();
    expect(after.pending).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('resolves delivered at the acknowledgement, and sends again after a failed send once the link is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    const link = hub();
    const clock = new ManualClock(Date.parse('2026-11-23T09:00:00+09:00'));
    const outbox = new Outbox({ dir, send: link.send, clock, log: silentLog });
    outbox.load();
    outbox.setOnline(true);
    let delivered = false;
    void outbox.add(sos('s2-1', '2026-11-23T10:00:00.000+09:00')).delivered.then(() => (delivered = true));
    link.waiting.shift()?.fail(new Error('Connection closed'));
    outbox.setOnline(false);
    await turn();
    expect(delivered).toBe(false);
    outbox.setOnline(true);
    expect(link.received.map((e) => e.id)).toEqual(['s2-1', 's2-1']);
    link.ackAll();
    await turn();
    expect(delivered).toBe(true);
    expect(outbox.pending).toBe(0);
  });

  it('sets aside a file it cannot read and drops a write a crash interrupted, keeping the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    writeFileSync(join(dir, '00000001-sos.json'), '{"id":');
    writeFileSync(join(dir, '00000002-sos.json.tmp'), '{}');
    writeFileSync(join(dir, '00000003-sos.json'), JSON.stringify(sos('s3-1', '2026-11-23T10:00:00.000+09:00')));
    const errors: string[] = [];
    const outbox = new Outbox({
      dir,
      send: hub().send,
      clock: new ManualClock(Date.parse('2026-11-23T09:00:00+09:00')),
      log: { info: () => {}, error: (l) => errors.push(l) },
    });
    expect(outbox.load()).toBe(1);
    expect(existsSync(join(dir, '00000001-sos.json.bad'))).toBe(true);
    expect(existsSync(join(dir, '00000002-sos.json.tmp'))).toBe(false);
    expect(errors.join()).toMatch(/00000001-sos\.json is unreadable/);
    // New events sort after the ones kept.
    outbox.add(sos('s3-2', '2026-11-23T10:05:00.000+09:00'));
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual(['00000003-sos.json', '00000004-sos.json']);
  });
});

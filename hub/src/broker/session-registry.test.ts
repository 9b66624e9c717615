import { describe, expect, it } from 'vitest';
import { SessionRegistry } from './session-registry.js';

describe('SessionRegistry', () => {
  it('keeps at most maxPerDevice sessions of one device, ending the longest idle first', () => {
    const sessions = new SessionRegistry({ maxPerDevice: 3, idleMs: 3_600_000 });
    const ended: string[] = [];
    for (let n = 1; n <= 6; n++) {
      ended.push(...sessions.connected('spk', `spk:${n}`, true, n * 1000));
      sessions.disconnected(`spk:${n}`, n * 1000 + 500);
    }
    expect(ended).toEqual(['spk:1', 'spk:2', 'spk:3']);
    expect(sessions.size).toBe(3);
    // Another device's sessions are its own.
    expect(sessions.connected('btn', 'btn', true, 7000)).toEqual([]);
    expect(sessions.size).toBe(4);
  });

  it('never ends a connected session to make room', () => {
    const sessions = new SessionRegistry({ maxPerDevice: 2, idleMs: 3_600_000 });
    sessions.connected('spk', 'spk:a', true, 0);
    sessions.connected('spk', 'spk:b', true, 1);
    expect(sessions.connected('spk', 'spk:c', true, 2)).toEqual([]);
    sessions.disconnected('spk:a', 3);
    expect(sessions.connected('spk', 'spk:d', true, 4)).toEqual(['spk:a']);
  });

  it('lets a clean connect replace the session kept under its id, and reconnecting refresh it', () => {
    const sessions = new SessionRegistry({ maxPerDevice: 2, idleMs: 3_600_000 });
    sessions.connected('spk', 'spk:a', true, 0);
    sessions.disconnected('spk:a', 1);
    expect(sessions.connected('spk', 'spk:a', false, 2)).toEqual([]);
    expect(sessions.size).toBe(0);
    sessions.connected('spk', 'spk:b', true, 3);
    sessions.disconnected('spk:b', 4);
    sessions.connected('spk', 'spk:c', true, 5);
    sessions.disconnected('spk:c', 6);
    // spk:b comes back and is the freshest now: spk:c is the one to go.
    sessions.connected('spk', 'spk:b', true, 7);
    sessions.disconnected('spk:b', 8);
    expect(sessions.connected('spk', 'spk:d', true, 9)).toEqual(['spk:c']);
  });

  it('ends sessions idle for longer than idleMs, and only those', () => {
    const sessions = new SessionRegistry({ maxPerDevice: 8, idleMs: 60_000 });
    sessions.connected('spk', 'spk:old', true, 0);
    sessions.disconnected('spk:old', 0);
    sessions.connected('spk', 'spk:new', true, 30_000);
    sessions.disconnected('spk:new', 30_000);
    sessions.connected('btn', 'btn', true, 0);
    expect(sessions.expire(60_000)).toEqual(['spk:old']);
    expect(sessions.size).toBe(2);
    expect(sessions.expire(90_000)).toEqual(['spk:new']);
    expect(sessions.size).toBe(1);
  });
});

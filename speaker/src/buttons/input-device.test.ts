import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLog, systemClock } from '@mimamori/device-link';
import { describe, expect, it } from 'vitest';
import type { Button } from './button-presses.js';
import { InputDevice } from './input-device.js';
import { EV_KEY, encodeInputEvent } from './input-events.js';

const until = async (accept: () => boolean) => {
  for (let i = 0; i < 200 && !accept(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
};

describe('an input event device', () => {
  it('reads key events as the kernel writes them, and opens the device again when it goes away', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'input-')), 'event-kbd');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const keys: string[] = [];
    let lost = 0;
    const device = new InputDevice({
      device: fifo,
      keys: new Map<number, Button>([
        [2, 'green'],
        [4, 'red'],
      ]),
      onKey: (button, down) => keys.push(`${button} ${down ? 'down' : 'up'}`),
      onLost: () => lost++,
      clock: systemClock,
      log: silentLog,
    });
    device.start();
    const press = (code: number) =>
      Buffer.concat([
        encodeInputEvent({ type: EV_KEY, code, value: 1 }, Date.now()),
        encodeInputEvent({ type: 0, code: 0, value: 0 }, Date.now()),
        encodeInputEvent({ type: EV_KEY, code, value: 2 }, Date.now()), // autorepeat: not another press
        encodeInputEvent({ type: EV_KEY, code, value: 0 }, Date.now()),
        encodeInputEvent({ type: EV_KEY, code: 30, value: 1 }, Date.now()), // a key that is no button
      ]);
    // Opened without blocking: the speaker opens the pipe for reading on a worker thread meanwhile.
    let writer = await open(fifo, 'w');
    await writer.write(press(2));
    await until(() => keys.length === 2);
    expect(keys).toEqual(['green down', 'green up']);
    // Unplugged (the writer goes away), then plugged in again.
    await writer.close();
    await until(() => lost === 1);
    writer = await open(fifo, 'w');
    await writer.write(press(4));
    await until(() => keys.length === 4);
    expect(keys.slice(2)).toEqual(['red down', 'red up']);
    device.stop();
    await writer.close();
  });
});

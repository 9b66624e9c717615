import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import type { Button } from './button-presses.js';
import { InputDevice } from './input-device.js';
import { EV_KEY, encodeInputEvent } from './input-events.js';

const until = async (accept: () => boolean) => {
  for (let i = 0; i < 200 && !accept(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
};

const press = (code: number) =>
  Buffer.concat([
    encodeInputEvent({ type: EV_KEY, code, value: 1 }, Date.now()),
    encodeInputEvent({ type: 0, code: 0, value: 0 }, Date.now()), // EV_SYN
    encodeInputEvent({ type: EV_KEY, code, value: 2 }, Date.now()), // autorepeat: not another press
    encodeInputEvent({ type: EV_KEY, code, value: 0 }, Date.now()),
    encodeInputEvent({ type: EV_KEY, code: 30, value: 1 }, Date.now()), // a key that is no button
  ]);

/** A named pipe stands in for /dev/input/…: the bytes are what the kernel writes. */
describe('an input event device', () => {
  it('is opened once it appears (a keypad plugged in late), then reads key events as the kernel writes them', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'input-')), 'event-kbd');
    const keys: string[] = [];
    const errors: string[] = [];
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
      log: { info: () => {}, error: (line) => errors.push(line) },
    });
    device.start();
    await until(() => lost > 0);
    expect(errors).toEqual([expect.stringMatching(/event-kbd: ENOENT.*trying again every 2 s/)]);
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const writer = await open(fifo, 'w'); // waits until the device has opened it again
    await writer.write(press(2));
    await until(() => keys.length === 2);
    await writer.write(press(4));
    await until(() => keys.length === 4);
    expect(keys).toEqual(['green down', 'green up', 'red down', 'red up']);
    expect(errors).toHaveLength(1); // told once, not every 2 s
    device.stop();
    await writer.close();
  });
});

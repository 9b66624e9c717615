import { ManualClock } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import { ButtonPresses, type ButtonPress } from './button-presses.js';
import { gpiomonArgs, gpiomonMajor, parseGpiomonLine } from './gpio-buttons.js';
import { EV_KEY, encodeInputEvent, InputEventDecoder, inputEventSize } from './input-events.js';
import { keyCode } from './key-codes.js';

const EV_SYN = 0;

describe('Linux input events', () => {
  it('are 24 bytes on a 64-bit userland and 16 on a 32-bit one (Raspberry Pi OS armhf)', () => {
    expect(inputEventSize('x64')).toBe(24);
    expect(inputEventSize('arm64')).toBe(24);
    expect(inputEventSize('arm')).toBe(16);
  });

  it.each([24, 16])('decode a keypad’s press and release (%d-byte events), however the stream is split', (size) => {
    const stream = Buffer.concat([
      encodeInputEvent({ type: 4, code: 4, value: 0x7001e }, 1_700_000_000_123, size), // EV_MSC scan code
      encodeInputEvent({ type: EV_KEY, code: 2, value: 1 }, 1_700_000_000_123, size),
      encodeInputEvent({ type: EV_SYN, code: 0, value: 0 }, 1_700_000_000_123, size),
      encodeInputEvent({ type: EV_KEY, code: 2, value: 2 }, 1_700_000_000_600, size),
      encodeInputEvent({ type: EV_KEY, code: 2, value: 0 }, 1_700_000_000_700, size),
    ]);
    const decoder = new InputEventDecoder(size);
    const events = [stream.subarray(0, 7), stream.subarray(7, size * 2 + 3), stream.subarray(size * 2 + 3)].flatMap(
      (chunk) => decoder.push(chunk),
    );
    expect(events.filter((e) => e.type === EV_KEY)).toEqual([
      { type: EV_KEY, code: 2, value: 1 },
      { type: EV_KEY, code: 2, value: 2 },
      { type: EV_KEY, code: 2, value: 0 },
    ]);
    expect(events).toHaveLength(5);
  });

  it('name keys as linux/input-event-codes.h does', () => {
    expect([
      keyCode('KEY_1'),
      keyCode('KEY_0'),
      keyCode('KEY_A'),
      keyCode('KEY_M'),
      keyCode('KEY_F1'),
      keyCode('BTN_0'),
    ]).toEqual([2, 11, 30, 50, 59, 0x100]);
    expect(keyCode('KEY_KP1')).toBe(79);
    expect(keyCode(57)).toBe(57);
    expect(keyCode('KEY_NOPE')).toBeUndefined();
  });
});

describe('button presses', () => {
  const setup = () => {
    const clock = new ManualClock(Date.parse('2026-11-23T09:00:00+09:00'));
    const presses: ButtonPress[] = [];
    const buttons = new ButtonPresses({ clock, longPressMs: 2000, onPress: (p) => presses.push(p) });
    return { clock, presses, buttons };
  };

  it('acts on red at once, before it is let go, and once however long it is held', () => {
    const { clock, presses, buttons } = setup();
    buttons.down('red');
    expect(presses).toEqual([{ button: 'red', long: false }]);
    clock.advance(5000);
    buttons.down('red'); // autorepeat-like: still held
    buttons.up('red');
    expect(presses).toHaveLength(1);
  });

  it('takes green on release, or as a long press after 2 s held (and then not again on release)', () => {
    const { clock, presses, buttons } = setup();
    buttons.down('green');
    clock.advance(300);
    expect(presses).toEqual([]);
    buttons.up('green');
    expect(presses).toEqual([{ button: 'green', long: false }]);
    buttons.down('green');
    clock.advance(1999);
    expect(presses).toHaveLength(1);
    clock.advance(1);
    expect(presses.at(-1)).toEqual({ button: 'green', long: true });
    buttons.up('green');
    expect(presses).toHaveLength(2);
  });

  it('forgets keys held when their keypad goes away', () => {
    const { clock, presses, buttons } = setup();
    buttons.down('green');
    buttons.releaseAll();
    clock.advance(5000);
    buttons.up('green');
    expect(presses).toEqual([]);
  });
});

describe('GPIO buttons through gpiomon', () => {
  it('read edges as libgpiod v1 and v2 print them with our formats', () => {
    expect(parseGpiomonLine('17 0')).toEqual({ offset: 17, rising: false });
    expect(parseGpiomonLine('17 1')).toEqual({ offset: 17, rising: true });
    expect(parseGpiomonLine('27 falling')).toEqual({ offset: 27, rising: false });
    expect(parseGpiomonLine('27 rising')).toEqual({ offset: 27, rising: true });
    expect(parseGpiomonLine('22 2')).toEqual({ offset: 22, rising: false });
    expect(parseGpiomonLine('event:  RISING EDGE offset: 17')).toBeUndefined();
  });

  it('ask each version for what it understands', () => {
    expect(gpiomonMajor('gpiomon (libgpiod) v1.6.3\nCopyright (C) 2017-2018 Bartosz Golaszewski')).toBe(1);
    expect(gpiomonMajor('gpiomon (libgpiod) v2.2.1')).toBe(2);
    expect(gpiomonArgs(1, 'gpiochip0', [17, 27])).toEqual([
      '-b',
      '-B',
      'pull-up',
      '-F',
      '%o %e',
      'gpiochip0',
      '17',
      '27',
    ]);
    expect(gpiomonArgs(2, 'gpiochip0', [17, 27])).toEqual([
      '-c',
      'gpiochip0',
      '-b',
      'pull-up',
      '-p',
      '30ms',
      '-F',
      '%o %E',
      '17',
      '27',
    ]);
  });
});

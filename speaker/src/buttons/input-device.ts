import { createReadStream, type ReadStream } from 'node:fs';
import type { Clock, Log } from '@mimamori/device-link';
import type { Button } from './button-presses.js';
import { EV_KEY, InputEventDecoder, KEY_PRESSED, KEY_RELEASED } from './input-events.js';

export interface InputDeviceOptions {
  /** `/dev/input/by-id/usb-…-event-kbd`: stable across reboots, unlike `/dev/input/eventN`. */
  device: string;
  /** Key code → button. */
  keys: ReadonlyMap<number, Button>;
  onKey: (button: Button, down: boolean) => void;
  /** The device went away (unplugged): keys held are released. */
  onLost: () => void;
  clock: Clock;
  log: Log;
}

const REOPEN_MS = 2000;

/**
 * Reads a Linux input event device (a USB big-button keypad appears as a keyboard). When it
 * fails or ends (unplugged, a pipe whose writer closed), it is opened again every 2 s, so a
 * keypad plugged back in works without a restart. The service user needs the `input` group.
 */
export class InputDevice {
  #stream: ReadStream | undefined;
  #cancelReopen: (() => void) | undefined;
  #stopped = true;
  #reported = false;

  constructor(private readonly options: InputDeviceOptions) {}

  start(): void {
    this.#stopped = false;
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    this.#cancelReopen?.();
    this.#stream?.destroy();
    this.#stream = undefined;
  }

  #open(): void {
    const { device, keys, onKey, onLost, log } = this.options;
    const decoder = new InputEventDecoder();
    const stream = createReadStream(device, { highWaterMark: decoder.eventSize * 64 });
    this.#stream = stream;
    stream.on('open', () => {
      this.#reported = false;
      log.info(`reading buttons from ${device}`);
    });
    stream.on('data', (chunk) => {
      for (const event of decoder.push(chunk as Buffer)) {
        if (event.type !== EV_KEY) continue;
        const button = keys.get(event.code);
        // Autorepeat (2) of a held key is not another press.
        if (button && (event.value === KEY_PRESSED || event.value === KEY_RELEASED))
          onKey(button, event.value === KEY_PRESSED);
      }
    });
    const lost = (reason: string) => {
      if (this.#stream !== stream) return;
      this.#stream = undefined;
      onLost();
      // Said once per outage, not every 2 s while the keypad stays unplugged.
      if (!this.#reported) log.error(`buttons on ${device}: ${reason}; trying again every ${REOPEN_MS / 1000} s`);
      this.#reported = true;
      if (!this.#stopped) this.#cancelReopen = this.options.clock.setTimer(() => this.#open(), REOPEN_MS);
    };
    stream.on('error', (error) => lost(error.message));
    stream.on('end', () => lost('the device closed'));
  }
}

import { close, constants, open, read } from 'node:fs';
import type { Log } from '@mimamori/device-link';
import type { Clock } from '@mimamori/contract';
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

/** How often the device is read while idle: a press is acted on within this. */
const POLL_MS = 40;
const REOPEN_MS = 2000;

/**
 * Reads a Linux input event device (a USB big-button keypad appears as a keyboard). The device
 * is opened non-blocking and read every 40 ms while idle: a blocking read would hold one of
 * Node's worker threads until the next key, and Node waits for its worker threads when it
 * exits, so `systemctl stop` would hang until someone pressed a button. When the device fails
 * (unplugged) it is opened again every 2 s, so a keypad plugged back in works without a
 * restart. The service user needs the `input` group.
 */
export class InputDevice {
  #fd: number | undefined;
  #cancelTimer: (() => void) | undefined;
  #stopped = true;
  #reported = false;
  readonly #decoder = new InputEventDecoder();
  readonly #buffer = Buffer.alloc(this.#decoder.eventSize * 64);

  constructor(private readonly options: InputDeviceOptions) {}

  start(): void {
    this.#stopped = false;
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    this.#cancelTimer?.();
    if (this.#fd !== undefined) close(this.#fd, () => undefined);
    this.#fd = undefined;
  }

  #open(): void {
    const { device, log } = this.options;
    open(device, constants.O_RDONLY | constants.O_NONBLOCK, (error, fd) => {
      if (error) return this.#lost(error.message);
      if (this.#stopped) return close(fd, () => undefined);
      this.#fd = fd;
      this.#reported = false;
      log.info(`reading buttons from ${device}`);
      this.#read(fd);
    });
  }

  #read(fd: number): void {
    if (this.#fd !== fd) return;
    read(fd, this.#buffer, 0, this.#buffer.length, null, (error, bytes) => {
      if (this.#fd !== fd) return;
      if (error && (error as NodeJS.ErrnoException).code !== 'EAGAIN') {
        this.#fd = undefined;
        close(fd, () => undefined);
        return this.#lost(error.message);
      }
      if (!error && bytes > 0) {
        this.#handle(this.#buffer.subarray(0, bytes));
        return this.#read(fd); // more may be waiting
      }
      // Nothing now (EAGAIN; or end of file, which a pipe without a writer gives and an input device never does).
      this.#cancelTimer = this.options.clock.setTimer(() => this.#read(fd), POLL_MS);
    });
  }

  #handle(bytes: Buffer): void {
    const { keys, onKey } = this.options;
    for (const event of this.#decoder.push(Buffer.from(bytes))) {
      if (event.type !== EV_KEY) continue;
      const button = keys.get(event.code);
      // Autorepeat (2) of a held key is not another press.
      if (button && (event.value === KEY_PRESSED || event.value === KEY_RELEASED))
        onKey(button, event.value === KEY_PRESSED);
    }
  }

  #lost(reason: string): void {
    const { device, log, onLost, clock } = this.options;
    onLost();
    // Said once per outage, not every 2 s while the keypad stays unplugged.
    if (!this.#reported) log.error(`buttons on ${device}: ${reason}; trying again every ${REOPEN_MS / 1000} s`);
    this.#reported = true;
    if (!this.#stopped) this.#cancelTimer = clock.setTimer(() => this.#open(), REOPEN_MS);
  }
}

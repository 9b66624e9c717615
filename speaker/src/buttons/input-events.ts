import { endianness } from 'node:os';

/** `struct input_event` (linux/input.h): a timeval, then u16 type, u16 code, s32 value. */
export interface InputEvent {
  type: number;
  code: number;
  value: number;
}

/** Event types and key values of linux/input-event-codes.h. */
export const EV_KEY = 1;
export const KEY_RELEASED = 0;
export const KEY_PRESSED = 1;
export const KEY_AUTOREPEAT = 2;

/** Architectures whose `long` is 32 bits (Raspberry Pi OS 32-bit is `arm`). */
const LONG_32 = new Set(['arm', 'ia32', 'mips', 'mipsel', 'ppc']);

/**
 * Bytes per event as this process reads them: the timeval is two `long`s, so 16 on a 32-bit
 * userland (even on a 64-bit kernel, which converts for it, and with a 64-bit time_t, for
 * which the kernel keeps the layout) and 24 on a 64-bit one.
 */
export function inputEventSize(arch: string = process.arch): number {
  return LONG_32.has(arch) ? 16 : 24;
}

/** Reads events from a byte stream that may split them anywhere. */
export class InputEventDecoder {
  #pending = Buffer.alloc(0);
  readonly #little = endianness() === 'LE';

  constructor(readonly eventSize: number = inputEventSize()) {}

  push(chunk: Buffer): InputEvent[] {
    const bytes = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const events: InputEvent[] = [];
    const header = this.eventSize - 8;
    let offset = 0;
    for (; offset + this.eventSize <= bytes.length; offset += this.eventSize) {
      const at = offset + header;
      events.push(
        this.#little
          ? { type: bytes.readUInt16LE(at), code: bytes.readUInt16LE(at + 2), value: bytes.readInt32LE(at + 4) }
          : { type: bytes.readUInt16BE(at), code: bytes.readUInt16BE(at + 2), value: bytes.readInt32BE(at + 4) },
      );
    }
    this.#pending = Buffer.from(bytes.subarray(offset));
    return events;
  }
}

/** One event as the kernel writes it (little-endian), for tests and for trying the speaker with a pipe. */
export function encodeInputEvent(event: InputEvent, timeMs: number, eventSize: number = inputEventSize()): Buffer {
  const bytes = Buffer.alloc(eventSize);
  const seconds = Math.floor(timeMs / 1000);
  const micros = (timeMs % 1000) * 1000;
  if (eventSize === 24) {
    bytes.writeBigInt64LE(BigInt(seconds), 0);
    bytes.writeBigInt64LE(BigInt(micros), 8);
  } else {
    bytes.writeUInt32LE(seconds >>> 0, 0);
    bytes.writeUInt32LE(micros, 4);
  }
  const at = eventSize - 8;
  bytes.writeUInt16LE(event.type, at);
  bytes.writeUInt16LE(event.code, at + 2);
  bytes.writeInt32LE(event.value, at + 4);
  return bytes;
}

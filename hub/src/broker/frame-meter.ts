import { screenPacket, type ScreenVerdict, type Violation } from './packet-screen.js';

export type { Violation } from './packet-screen.js';

/** What to do with a chunk: pass these bytes on (in order), or close the connection. */
export type FrameOutcome = { forward: Uint8Array[]; violation?: undefined } | { violation: Violation };

/** Packet types whose whole body is read and screened before aedes sees any byte of them [MQTT-2.2.1]. */
const CONNECT = 1;
const SUBSCRIBE = 8;
const UNSUBSCRIBE = 10;
const SCREENED = new Set([CONNECT, SUBSCRIBE, UNSUBSCRIBE]);

/**
 * Reads MQTT fixed headers as bytes stream past and reports a packet whose declared size is
 * over the limit the moment its Remaining Length is known — before its body is read.
 * aedes (through mqtt-packet) buffers a whole packet before parsing it: a single 200 MiB
 * CONNECT grew its memory by 200 MiB.
 *
 * CONNECT, SUBSCRIBE and UNSUBSCRIBE are held back until complete and screened
 * (`packet-screen.ts`); whatever follows a held packet waits behind it, so aedes sees every
 * byte in order. PUBLISH and the acknowledgements stream through untouched.
 *
 * Fixed header [MQTT-2.2]: one type/flags byte, then Remaining Length as a variable byte
 * integer of 1–4 bytes, 7 bits each, least significant first (max 268,435,455).
 */
export class FrameMeter {
  #state: 'type' | 'length' | 'body' = 'type';
  #type = 0;
  #length = 0;
  #multiplier = 1;
  #lengthBytes = 0;
  #bodyLeft = 0;
  /** Bytes held back since the first screened packet that is not complete yet. */
  #held: Uint8Array[] = [];
  #holding = false;
  /** The screened packet's body so far. */
  #body: Uint8Array[] = [];
  /** The protocol level of the CONNECT (3, 4 or 5); SUBSCRIBE carries properties from 5 on. */
  #protocolLevel = 4;

  constructor(private readonly maxPacketBytes: number) {}

  /** Feeds the next chunk; returns the bytes that may go on, or why the stream must be closed. */
  feed(chunk: Uint8Array): FrameOutcome {
    const forward: Uint8Array[] = [];
    let from = 0; // start of the part of this chunk not yet forwarded or held
    let i = 0;
    while (i < chunk.length) {
      if (this.#state === 'body') {
        const take = Math.min(this.#bodyLeft, chunk.length - i);
        if (SCREENED.has(this.#type)) this.#body.push(chunk.subarray(i, i + take));
        this.#bodyLeft -= take;
        i += take;
        if (this.#bodyLeft === 0) {
          const violation = this.#packetEnded();
          if (violation) return { violation };
          from = this.#release(forward, chunk, from, i);
        }
        continue;
      }
      const byte = chunk[i] as number;
      if (this.#state === 'type') {
        this.#type = byte >> 4;
        if (SCREENED.has(this.#type) && !this.#holding) {
          forward.push(chunk.subarray(from, i));
          from = i;
          this.#holding = true;
        }
        i += 1;
        this.#state = 'length';
        this.#length = 0;
        this.#multiplier = 1;
        this.#lengthBytes = 0;
        continue;
      }
      i += 1;
      this.#length += (byte & 0x7f) * this.#multiplier;
      this.#multiplier *= 128;
      this.#lengthBytes += 1;
      if (byte & 0x80) {
        if (this.#lengthBytes === 4)
          return { violation: { reason: 'malformed', message: 'malformed remaining length [MQTT-2.2.3]' } };
        continue;
      }
      // Fixed header size counts toward the packet: 1 type byte + the length bytes.
      const size = 1 + this.#lengthBytes + this.#length;
      if (size > this.maxPacketBytes) {
        return {
          violation: {
            reason: 'packet_too_large',
            message: `packet of ${size} bytes exceeds the limit of ${this.maxPacketBytes}`,
          },
        };
      }
      this.#bodyLeft = this.#length;
      this.#body = [];
      this.#state = 'body';
      if (this.#length === 0) {
        // No body: the packet ends with its header (PINGREQ, DISCONNECT, or an empty screened packet).
        const violation = this.#packetEnded();
        if (violation) return { violation };
        from = this.#release(forward, chunk, from, i);
      }
    }
    if (this.#holding) this.#held.push(chunk.subarray(from));
    else forward.push(chunk.subarray(from));
    return { forward: forward.filter((part) => part.length > 0) };
  }

  /** A packet's last byte was read: screens it if it is of a screened type; returns a violation or undefined. */
  #packetEnded(): Violation | undefined {
    this.#state = 'type';
    if (!SCREENED.has(this.#type)) return undefined;
    const verdict: ScreenVerdict = screenPacket(this.#type, Buffer.concat(this.#body), this.#protocolLevel);
    this.#body = [];
    if (verdict.protocolLevel !== undefined) this.#protocolLevel = verdict.protocolLevel;
    return verdict.violation;
  }

  /** Once a held packet has passed, it and everything held behind it go on; returns where this chunk's rest starts. */
  #release(forward: Uint8Array[], chunk: Uint8Array, from: number, to: number): number {
    if (!this.#holding) return from;
    forward.push(...this.#held, chunk.subarray(from, to));
    this.#held = [];
    this.#holding = false;
    return to;
  }
}

/**
 * Reads MQTT fixed headers as bytes stream past and reports a packet whose declared size is
 * over the limit the moment its Remaining Length is known — before its body is read.
 * aedes (through mqtt-packet) buffers a whole packet before parsing it and has no limit of its
 * own: a single 200 MiB CONNECT grew its memory by 200 MiB.
 *
 * Fixed header [MQTT-2.2]: one type/flags byte, then Remaining Length as a variable byte
 * integer of 1–4 bytes, 7 bits each, least significant first (max 268,435,455).
 */
export class FrameMeter {
  #state: 'type' | 'length' | 'body' = 'type';
  #length = 0;
  #multiplier = 1;
  #lengthBytes = 0;
  #bodyLeft = 0;

  constructor(private readonly maxPacketBytes: number) {}

  /** Feeds the next chunk; returns why the stream must be closed, or undefined if it may go on. */
  feed(chunk: Uint8Array): string | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.#state === 'body') {
        const take = Math.min(this.#bodyLeft, chunk.length - i);
        this.#bodyLeft -= take;
        i += take;
        if (this.#bodyLeft === 0) this.#state = 'type';
        continue;
      }
      const byte = chunk[i++] as number;
      if (this.#state === 'type') {
        this.#state = 'length';
        this.#length = 0;
        this.#multiplier = 1;
        this.#lengthBytes = 0;
        continue;
      }
      this.#length += (byte & 0x7f) * this.#multiplier;
      this.#multiplier *= 128;
      this.#lengthBytes += 1;
      if (byte & 0x80) {
        if (this.#lengthBytes === 4) return 'malformed remaining length [MQTT-2.2.3]';
        continue;
      }
      // Fixed header size counts toward the packet: 1 type byte + the length bytes.
      if (1 + this.#lengthBytes + this.#length > this.maxPacketBytes) {
        return `packet of ${1 + this.#lengthBytes + this.#length} bytes exceeds the limit of ${this.maxPacketBytes}`;
      }
      this.#bodyLeft = this.#length;
      this.#state = this.#length === 0 ? 'type' : 'body';
    }
    return undefined;
  }
}

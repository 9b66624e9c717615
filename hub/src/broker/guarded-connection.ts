import { Duplex } from 'node:stream';
import { FrameMeter } from './frame-meter.js';

/**
 * Wraps a client connection (TCP socket or WebSocket stream) so that every byte aedes reads
 * has passed a `FrameMeter`; an oversized or malformed packet closes the connection after at
 * most one socket read, and aedes never buffers it.
 */
export class GuardedConnection extends Duplex {
  readonly #inner: Duplex;

  constructor(inner: Duplex, maxPacketBytes: number, onViolation: (reason: string) => void) {
    super();
    this.#inner = inner;
    const meter = new FrameMeter(maxPacketBytes);
    inner.on('data', (chunk: Buffer) => {
      const violation = meter.feed(chunk);
      if (violation) {
        onViolation(violation);
        this.destroy();
        return;
      }
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (error) => this.destroy(error));
    inner.on('close', () => this.destroy());
  }

  /** aedes logs and rate-limits by address; expose the socket's. */
  get remoteAddress(): string | undefined {
    return (this.#inner as Duplex & { remoteAddress?: string }).remoteAddress;
  }

  override _read(): void {
    this.#inner.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#inner.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#inner.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#inner.destroy();
    callback(error);
  }
}

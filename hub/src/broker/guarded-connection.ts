import { Duplex } from 'node:stream';
import { FrameMeter, type Violation } from './frame-meter.js';

/** The longest a closed connection waits for its peer to close too (see `_destroy`). */
const LINGER_MS = 1000;

/**
 * Wraps a client connection (TCP socket or WebSocket stream) so that every byte aedes reads
 * has passed a `FrameMeter`: an oversized or malformed packet, or a screened packet that
 * fails its screen, stops the stream after at most one socket read, and aedes never buffers
 * it. On a violation nothing more is read; `onViolation` decides how to close (an MQTT 5
 * client is told why with a DISCONNECT first; writing still works until then).
 */
export class GuardedConnection extends Duplex {
  readonly #inner: Duplex;
  #stopped = false;

  constructor(inner: Duplex, maxPacketBytes: number, onViolation: (violation: Violation) => void) {
    super();
    this.#inner = inner;
    const meter = new FrameMeter(maxPacketBytes);
    inner.on('data', (chunk: Buffer) => {
      if (this.#stopped) return;
      const outcome = meter.feed(chunk);
      if (outcome.violation) {
        this.#stopped = true;
        inner.pause();
        onViolation(outcome.violation);
        return;
      }
      let more = true;
      for (const part of outcome.forward) more = this.push(part);
      if (!more) inner.pause();
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
    if (!this.#stopped) this.#inner.resume();
  }

  /**
   * Hands each packet to the socket at once (nothing waits in this stream, where a close would
   * drop it: a PUBACK 0x87 and the DISCONNECT after it are written back to back), and passes
   * the socket's backpressure on to aedes, whose drain timeout sheds clients that do not read.
   */
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#inner.write(chunk)) callback();
    else this.#inner.once('drain', () => callback());
  }

  /** mqtt-packet corks the stream while it writes a packet's pieces: on uncork they go out as one write. */
  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this._write(Buffer.concat(chunks.map(({ chunk }) => chunk)), 'binary', callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#inner.end(callback);
  }

  /**
   * aedes closes a connection by destroying it, often right after writing its last packet (a
   * refusing CONNACK, a DISCONNECT with its reason). Closing a TCP socket with unread input
   * resets it, and the peer may lose what was written last; so the socket is ended (FIN after
   * the written bytes), its input read and dropped, and destroyed once the peer has closed too
   * or after LINGER_MS at the latest. An error closes it at once.
   */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const inner = this.#inner;
    if (error || inner.destroyed || !inner.writable) {
      inner.destroy();
      return callback(error);
    }
    this.#stopped = true;
    inner.resume();
    inner.end();
    setTimeout(() => inner.destroy(), LINGER_MS).unref();
    callback(null);
  }
}

import { Duplex } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';

/** Bytes one side may have sent that the other has not yet passed on: past it, writes wait. */
const WINDOW_BYTES = 256 * 1024;

/**
 * A byte stream over a `MessagePort`: how a WebSocket that the main thread's HTTP server
 * accepted reaches the broker thread (a socket cannot move between threads). Each side wraps
 * its end of the channel. A message is bytes, `null` (the writer ended) or a number: bytes
 * the reader has passed on. That credit is the backpressure a socket would give: a client
 * that sends faster than the broker reads, or reads slower than it writes, is held to
 * `WINDOW_BYTES` in flight instead of filling the other thread's memory. Closing the port
 * destroys both ends.
 */
export function portStream(port: MessagePort): Duplex {
  let inFlight = 0;
  let waiting: (() => void) | undefined;
  let owed = 0;
  const stream = new Duplex({
    read() {
      if (owed === 0) return;
      port.postMessage(owed);
      owed = 0;
    },
    write(chunk: Buffer, _encoding, callback) {
      // A copy of its own: a Buffer may be a view of a larger pool, which a clone would copy whole.
      const bytes = new Uint8Array(chunk);
      port.postMessage(bytes, [bytes.buffer]);
      inFlight += chunk.length;
      if (inFlight < WINDOW_BYTES) callback();
      else waiting = callback;
    },
    final(callback) {
      port.postMessage(null);
      callback();
    },
    destroy(error, callback) {
      port.close();
      callback(error);
    },
  });
  port.on('message', (message: Uint8Array | number | null) => {
    if (typeof message === 'number') {
      inFlight -= message;
      const resume = inFlight < WINDOW_BYTES ? waiting : undefined;
      if (resume) {
        waiting = undefined;
        resume();
      }
      return;
    }
    if (message === null) {
      stream.push(null);
      return;
    }
    // Credited once the bytes are passed on: at once, or when the reader asks for more.
    if (stream.push(Buffer.from(message.buffer, message.byteOffset, message.byteLength)))
      port.postMessage(message.byteLength);
    else owed += message.byteLength;
  });
  port.on('close', () => stream.destroy());
  return stream;
}

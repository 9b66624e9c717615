import { Duplex } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';

/**
 * A byte stream over a `MessagePort`: how a WebSocket that the main thread's HTTP server
 * accepted reaches the broker thread (a socket cannot move between threads). Each side wraps
 * its end of the channel; `null` says the writer ended, closing the port destroys both.
 */
export function portStream(port: MessagePort): Duplex {
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      // A copy of its own: a Buffer may be a view of a larger pool, which a clone would copy whole.
      const bytes = new Uint8Array(chunk);
      port.postMessage(bytes, [bytes.buffer]);
      callback();
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
  port.on('message', (bytes: Uint8Array | null) =>
    stream.push(bytes === null ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
  );
  port.on('close', () => stream.destroy());
  return stream;
}

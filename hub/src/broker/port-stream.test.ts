import { once } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { portStream } from './port-stream.js';

const CHUNK = Buffer.alloc(64 * 1024, 7);

describe('portStream', () => {
  it('carries bytes and the end from one side to the other', async () => {
    const { port1, port2 } = new MessageChannel();
    const [a, b] = [portStream(port1), portStream(port2)];
    const received: Buffer[] = [];
    b.on('data', (chunk: Buffer) => received.push(chunk));
    a.end(Buffer.from('CONNECT'));
    await once(b, 'end');
    expect(Buffer.concat(received).toString()).toBe('CONNECT');
    a.destroy();
  });

  it('holds a writer whose reader does not read, and lets it go on once the reader does', async () => {
    const { port1, port2 } = new MessageChannel();
    const [writer, reader] = [portStream(port1), portStream(port2)];
    reader.pause();
    let written = 0;
    for (let n = 0; n < 32; n++) writer.write(CHUNK, () => (written += CHUNK.length));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // 2 MiB offered; only the window (and the reader's buffer) went across.
    expect(written).toBeLessThan(1024 * 1024);
    let read = 0;
    reader.on('data', (chunk: Buffer) => (read += chunk.length));
    reader.resume();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(written).toBe(32 * CHUNK.length);
    expect(read).toBe(32 * CHUNK.length);
    writer.destroy();
  });
});

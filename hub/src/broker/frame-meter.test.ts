import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { FrameMeter } from './frame-meter.js';

const publish = (bytes: number) =>
  mqttPacket.generate({ cmd: 'publish', topic: 't', payload: Buffer.alloc(bytes), qos: 0, retain: false, dup: false });

describe('FrameMeter', () => {
  it('lets packets within the limit through, whole or split at any byte', () => {
    const stream = Buffer.concat([publish(10), publish(1000), mqttPacket.generate({ cmd: 'pingreq' }), publish(0)]);
    expect(new FrameMeter(2048).feed(stream)).toBeUndefined();
    const meter = new FrameMeter(2048);
    for (const byte of stream) expect(meter.feed(Uint8Array.of(byte))).toBeUndefined();
  });

  it('refuses an oversized packet from its header alone, before the body arrives', () => {
    const header = publish(200 * 1024 * 1024).subarray(0, 8);
    expect(new FrameMeter(64 * 1024).feed(header)).toMatch(/exceeds the limit of 65536/);
  });

  it('refuses an oversized packet that follows good ones in the same chunk', () => {
    expect(new FrameMeter(2048).feed(Buffer.concat([publish(10), publish(5000)]))).toMatch(/exceeds/);
  });

  it('refuses a remaining length longer than four bytes', () => {
    expect(new FrameMeter(2048).feed(Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff))).toMatch(/malformed/);
  });
});

import mqttPacket, { type Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { FrameMeter, type FrameOutcome } from './frame-meter.js';

const publish = (bytes: number) =>
  mqttPacket.generate({ cmd: 'publish', topic: 't', payload: Buffer.alloc(bytes), qos: 0, retain: false, dup: false });
const packet = (p: Packet, protocolVersion = 4) => mqttPacket.generate(p, { protocolVersion });
const connect = (protocolVersion: 4 | 5) =>
  packet(
    { cmd: 'connect', protocolId: 'MQTT', protocolVersion, clientId: 'dev', clean: true, keepalive: 60 },
    protocolVersion,
  );
const subscribe = (topic: string, messageId = 7, protocolVersion = 4) =>
  packet({ cmd: 'subscribe', messageId, subscriptions: [{ topic, qos: 1 }] }, protocolVersion);
const unsubscribe = (topic: string, messageId = 7) =>
  packet({ cmd: 'unsubscribe', messageId, unsubscriptions: [topic] });

/** Feeds the stream one byte at a time, as the slowest sender would; returns what passed or the first violation. */
function byteByByte(meter: FrameMeter, stream: Buffer): FrameOutcome {
  const forwarded: Uint8Array[] = [];
  for (const byte of stream) {
    const outcome = meter.feed(Uint8Array.of(byte));
    if (outcome.violation) return outcome;
    forwarded.push(...outcome.forward);
  }
  return { forward: [Buffer.concat(forwarded)] };
}
const passed = (outcome: FrameOutcome) => (outcome.violation ? outcome.violation : Buffer.concat(outcome.forward));

describe('FrameMeter', () => {
  it('lets packets within the limit through, whole or split at any byte, in order', () => {
    const stream = Buffer.concat([
      connect(4),
      publish(10),
      subscribe('a/b'),
      publish(1000),
      packet({ cmd: 'pingreq' }),
      unsubscribe('a/b'),
      publish(0),
    ]);
    expect(passed(new FrameMeter(2048).feed(stream))).toEqual(stream);
    expect(passed(byteByByte(new FrameMeter(2048), stream))).toEqual(stream);
  });

  it('holds a SUBSCRIBE back until all of it has arrived, and what follows it too', () => {
    const meter = new FrameMeter(2048);
    const sub = subscribe('mimamori/v1/h/d/command');
    expect(passed(meter.feed(Buffer.concat([publish(3), sub.subarray(0, 5)])))).toEqual(publish(3));
    expect(passed(meter.feed(Buffer.concat([sub.subarray(5), publish(4)])))).toEqual(Buffer.concat([sub, publish(4)]));
  });

  it('refuses an oversized packet from its header alone, before the body arrives', () => {
    const header = publish(200 * 1024 * 1024).subarray(0, 8);
    expect(new FrameMeter(64 * 1024).feed(header).violation).toMatchObject({
      reason: 'packet_too_large',
      message: expect.stringMatching(/exceeds the limit of 65536/),
    });
  });

  it('refuses an oversized packet that follows good ones in the same chunk', () => {
    expect(new FrameMeter(2048).feed(Buffer.concat([publish(10), publish(5000)])).violation?.reason).toBe(
      'packet_too_large',
    );
  });

  it('refuses a remaining length longer than four bytes', () => {
    expect(new FrameMeter(2048).feed(Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff)).violation?.reason).toBe('malformed');
  });

  it('refuses SUBSCRIBE and UNSUBSCRIBE with packet identifier 0 [MQTT-2.3.1-1], split or whole', () => {
    for (const bad of [subscribe('a/b', 0), unsubscribe('a/b', 0)]) {
      expect(new FrameMeter(2048).feed(Buffer.concat([connect(4), bad])).violation?.reason).toBe('packet_id_zero');
      expect(passed(byteByByte(new FrameMeter(2048), Buffer.concat([connect(4), bad])))).toMatchObject({
        reason: 'packet_id_zero',
      });
    }
  });

  it('refuses filters named like Object.prototype keys (they crash aedes 2.0.0-beta.1), over 3.1.1 and 5', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(new FrameMeter(2048).feed(Buffer.concat([connect(4), unsubscribe(name)])).violation).toMatchObject({
        reason: 'reserved_filter',
        message: `topic filter "${name}" is reserved`,
      });
      const v5 = Buffer.concat([connect(5), subscribe(name, 3, 5)]);
      expect(passed(byteByByte(new FrameMeter(2048), v5))).toMatchObject({ reason: 'reserved_filter' });
    }
    // A filter that merely contains such a name is an ordinary (if refused) filter.
    const ordinary = Buffer.concat([connect(5), subscribe('toString/x', 3, 5)]);
    expect(passed(new FrameMeter(2048).feed(ordinary))).toEqual(ordinary);
  });

  it('reads a v5 SUBSCRIBE past its properties to the filters', () => {
    const withProperties = packet(
      {
        cmd: 'subscribe',
        messageId: 9,
        properties: { subscriptionIdentifier: 300, userProperties: { a: 'b' } },
        subscriptions: [
          { topic: 'ok/topic', qos: 1 },
          { topic: 'valueOf', qos: 0 },
        ],
      },
      5,
    );
    expect(new FrameMeter(2048).feed(Buffer.concat([connect(5), withProperties])).violation?.reason).toBe(
      'reserved_filter',
    );
  });
});

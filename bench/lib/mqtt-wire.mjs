// Just enough of MQTT 3.1.1 and 5 on the wire for a load generator: CONNECT, PUBLISH (QoS 0/1), DISCONNECT
// and PINGREQ out; CONNACK, PUBACK and PINGRESP in. Hand-encoded so that the generator spends its core on sending, not
// on a client library, and can push a server harder than mqtt.js could from one process.
import { Buffer } from 'node:buffer';

function remainingLength(n) {
  const bytes = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return Buffer.from(bytes);
}

const utf8 = (s) => {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};

/** MQTT 5's empty property list [MQTT-2.2.2]: a property length of 0. */
const NO_PROPERTIES = Buffer.from([0]);

/**
 * CONNECT [MQTT-3.1]: clean session, protocol level 4 (3.1.1) or 5, keep-alive 60 s (a hub refuses
 * 3.1.1 clients without one; the load keeps the sockets busy, so no PINGREQ is due).
 */
export function connectPacket({ clientId, username, password }, protocolVersion = 4) {
  const flags = 0x02 | (username ? 0x80 : 0) | (password ? 0x40 : 0);
  const body = Buffer.concat([
    utf8('MQTT'),
    Buffer.from([protocolVersion, flags, 0, 60]),
    ...(protocolVersion === 5 ? [NO_PROPERTIES] : []),
    utf8(clientId),
    ...(username ? [utf8(username)] : []),
    ...(password ? [utf8(password)] : []),
  ]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

export const DISCONNECT = Buffer.from([0xe0, 0x00]);
export const PINGREQ = Buffer.from([0xc0, 0x00]);

/** PUBLISH [MQTT-3.3]; a QoS 1 packet carries its packet identifier after the topic, v5 then an empty property list. */
export function publishPacket(topicBytes, payload, qos, packetId, protocolVersion = 4) {
  const payloadBytes = Buffer.from(payload, 'utf8');
  const properties = protocolVersion === 5 ? 1 : 0;
  const length = 2 + topicBytes.length + (qos > 0 ? 2 : 0) + properties + payloadBytes.length;
  const header = remainingLength(length);
  const packet = Buffer.allocUnsafe(1 + header.length + length);
  let at = 0;
  packet[at++] = qos > 0 ? 0x32 : 0x30;
  at += header.copy(packet, at);
  packet.writeUInt16BE(topicBytes.length, at);
  at += 2;
  at += topicBytes.copy(packet, at);
  if (qos > 0) {
    packet.writeUInt16BE(packetId, at);
    at += 2;
  }
  if (properties) packet[at++] = 0;
  payloadBytes.copy(packet, at);
  return packet;
}

/** Splits a byte stream into packets and calls `onPacket(type, body)` for each complete one. */
export function packetReader(onPacket) {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let at = 0;
    for (;;) {
      if (pending.length - at < 2) break;
      let length = 0;
      let multiplier = 1;
      let i = at + 1;
      let complete = false;
      for (; i < pending.length && i < at + 5; i++) {
        length += (pending[i] & 0x7f) * multiplier;
        multiplier *= 128;
        if ((pending[i] & 0x80) === 0) {
          complete = true;
          i++;
          break;
        }
      }
      if (!complete || pending.length < i + length) break;
      onPacket(pending[at] >> 4, pending.subarray(i, i + length));
      at = i + length;
    }
    pending = at === pending.length ? Buffer.alloc(0) : pending.subarray(at);
  };
}

export const CONNACK = 2;
export const PUBACK = 4;
export const PINGRESP = 13;

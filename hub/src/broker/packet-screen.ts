/** Why a connection must be closed before aedes reads any more of it. */
export interface Violation {
  reason: 'packet_too_large' | 'malformed' | 'packet_id_zero' | 'reserved_filter';
  message: string;
}

export interface ScreenVerdict {
  violation?: Violation;
  /** A CONNECT's protocol level, which later packets of the connection are read by. */
  protocolLevel?: number;
}

const CONNECT = 1;
const SUBSCRIBE = 8;

/**
 * Names that aedes 2.0.0-beta.1 looks up in plain objects keyed by what a client sent: a
 * SUBSCRIBE or UNSUBSCRIBE of `toString`, `constructor` or `__proto__` throws inside aedes
 * (mqemitter's `assert(notify)`, uncaught: the hub process dies). aedes 1.2.0 fixed this
 * (GHSA-52qw-whmv-87c5, Object.create(null) maps); the 2.x beta branched before the fix.
 * No device may subscribe to such a filter anyway (acl.ts), so refusing it costs nothing.
 */
export const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Screens a complete CONNECT, SUBSCRIBE or UNSUBSCRIBE body (after the fixed header) before
 * aedes parses it. Pure. A body it cannot read is passed on: aedes' parser refuses it itself.
 *
 * - CONNECT: only its protocol level is read (v5 SUBSCRIBE and UNSUBSCRIBE carry properties).
 * - SUBSCRIBE / UNSUBSCRIBE with packet identifier 0: [MQTT-2.3.1-1] requires a non-zero one.
 * - A topic filter named like an Object.prototype key (see PROTOTYPE_NAMES).
 */
export function screenPacket(type: number, body: Buffer, protocolLevel: number): ScreenVerdict {
  if (type === CONNECT) return { protocolLevel: connectLevel(body) ?? protocolLevel };
  if (body.length < 2) return {};
  if (body.readUInt16BE(0) === 0) {
    return {
      violation: {
        reason: 'packet_id_zero',
        message: `${type === SUBSCRIBE ? 'SUBSCRIBE' : 'UNSUBSCRIBE'} with packet identifier 0 [MQTT-2.3.1-1]`,
      },
    };
  }
  let at = 2;
  if (protocolLevel === 5) {
    const properties = variableByteInteger(body, at);
    if (!properties) return {};
    at = properties.end + properties.value;
  }
  while (at + 2 <= body.length) {
    const length = body.readUInt16BE(at);
    const filter = body.toString('utf8', at + 2, Math.min(body.length, at + 2 + length));
    if (PROTOTYPE_NAMES.has(filter))
      return { violation: { reason: 'reserved_filter', message: `topic filter "${filter}" is reserved` } };
    // SUBSCRIBE has a subscription options byte after each filter [MQTT-3.8.3].
    at += 2 + length + (type === SUBSCRIBE ? 1 : 0);
  }
  return {};
}

/** CONNECT's variable header: protocol name (a UTF-8 string), then the level byte [MQTT-3.1.2.2]. */
function connectLevel(body: Buffer): number | undefined {
  if (body.length < 2) return undefined;
  const at = 2 + body.readUInt16BE(0);
  return at < body.length ? body[at] : undefined;
}

/** MQTT's variable byte integer at `at` [MQTT-1.5.5]: its value and the index after it. */
function variableByteInteger(body: Buffer, at: number): { value: number; end: number } | undefined {
  let value = 0;
  for (let i = 0; i < 4 && at + i < body.length; i++) {
    const byte = body[at + i] as number;
    value += (byte & 0x7f) * 128 ** i;
    if ((byte & 0x80) === 0) return { value, end: at + i + 1 };
  }
  return undefined;
}

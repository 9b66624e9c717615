import type { AuthenticateError, Client } from 'aedes';

/** CONNACK return codes of MQTT 3.1.1 [MQTT-3.2.2.3]; aedes sends the v5 reason code of each to v5 clients. */
export const CONNACK = {
  /** v5 0x85 Client Identifier not valid. */
  identifierRejected: 2,
  /** v5 0x88 Server unavailable: retriable, for limits that lift by themselves. */
  serverUnavailable: 3,
  /** v5 0x86 Bad User Name or Password. */
  badCredentials: 4,
} as const;

/** MQTT 5 reason codes the hub sends in DISCONNECT (and aedes in PUBACK/SUBACK) [MQTT-2.4]. */
export const REASON = {
  protocolError: 0x82,
  notAuthorized: 0x87,
  serverBusy: 0x89,
  receiveMaximumExceeded: 0x93,
  packetTooLarge: 0x95,
  quotaExceeded: 0x97,
} as const;

/** An error aedes turns into a refusing CONNACK. */
export const connackError = (message: string, returnCode: number): AuthenticateError =>
  Object.assign(new Error(message), { returnCode }) as AuthenticateError;

/**
 * Ends a connection the hub refuses to keep: an MQTT 5 client first gets a DISCONNECT with
 * the reason [MQTT-3.14.2.1]; 3.1.1 has no server DISCONNECT, so its connection just closes.
 * Resolves once closed.
 *
 * Not in this tick: mqtt-packet corks the stream while it writes a packet and uncorks it on
 * the next tick, so closing now would drop what was just written (a refusing PUBACK). And
 * not before aedes calls the client connected: a PUBLISH may arrive once the CONNACK is out
 * but while the session is still being restored, and aedes closes a client it does not yet
 * count as connected without a DISCONNECT.
 */
export function disconnectWith(client: Client, reasonCode: number): Promise<void> {
  return new Promise((resolve) => {
    const end = () => {
      if (client.version === 5) client.disconnect({ reasonCode }, () => resolve());
      else client.close(() => resolve());
    };
    setImmediate(() => {
      if (client.connected || client.closed) return end();
      client.once('connected', end);
      client.conn.once('close', () => resolve());
    });
  });
}

import mqtt from 'mqtt';
import { eventPayload } from './mqtt-probe.js';

/**
 * A device as the hub's promise counts on: mqtt.js with a persistent session (`clean: false`)
 * that reconnects quickly by itself and keeps every QoS 1 event that got no PUBACK, sending it
 * again after each reconnect. It records which events were acknowledged.
 */
export async function connectResendingDevice(
  mqttPort: number,
  credentials: { username: string; password: string; topicPrefix: string },
) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
    username: credentials.username,
    password: credentials.password,
    clientId: credentials.username,
    clean: false,
    reconnectPeriod: 100,
  });
  // The hub closes the connection of a publish it cannot store; reconnecting is the point.
  client.on('error', () => {});
  const acknowledged = new Set<string>();
  return {
    acknowledged,
    /** Publishes at QoS 1 without waiting: the PUBACK, whenever it comes, lands in `acknowledged`. */
    publish(id: string, type: 'sos' | 'heartbeat' = 'heartbeat'): void {
      client.publishAsync(`${credentials.topicPrefix}/event`, eventPayload(id, type), { qos: 1 }).then(
        () => acknowledged.add(id),
        () => {}, // only when the test ends the client with the event still unacknowledged
      );
    },
    end: () => client.endAsync(true),
  };
}

export type ResendingDevice = Awaited<ReturnType<typeof connectResendingDevice>>;

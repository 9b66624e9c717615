import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { DeviceCommand } from '@mimamori/contract';

/**
 * How the hub reaches its devices: the embedded aedes broker (`MqttBroker`), or an external
 * broker it joins as a client (`ExternalBroker`, docs/scaling.md). Either way an event is
 * acknowledged to its sender only once it is durably stored.
 */
export interface DeviceBroker {
  /** The embedded broker's TCP port; 0 when the hub joins an external broker. */
  readonly port: number;
  /** Whether devices can reach the hub right now (for the health check). */
  readonly ready: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Publishes a command to a device's command topic (QoS 1). */
  sendCommand(homeId: string, deviceId: string, command: DeviceCommand): Promise<void>;
  /** Cuts a device off once its credentials were replaced or it was deleted; resolves to the connections closed. */
  disconnectDevice(deviceId: string): Promise<number>;
  /** A home was registered or deleted: an external broker's subscriptions follow the registry. */
  homeAdded(homeId: string): void;
  homeRemoved(homeId: string): void;
  /** MQTT over WebSocket at `/mqtt`, where this broker serves it. */
  handleUpgrade?(request: IncomingMessage, socket: Duplex, head: Buffer): void;
}

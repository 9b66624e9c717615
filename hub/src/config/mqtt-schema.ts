import { z } from 'zod';
import { port } from './port.js';

/**
 * The devices' broker: the embedded one's address and the limits every device connection is
 * held to (packets, connections, sessions, publish rate, keep-alive), or the external broker the
 * hub joins instead (docs/configuration.md, docs/security.md).
 */
export const mqttSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1').describe('Address the embedded MQTT broker binds to'),
    port: port.default(1883).describe('MQTT port (0 = any free port)'),
    maxPacketBytes: z
      .number()
      .int()
      .min(1024)
      .max(268_435_455)
      .default(64 * 1024)
      .describe('Largest MQTT packet accepted; a bigger one closes the connection before it is read'),
    connectTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .default(10_000)
      .describe(
        'Close sockets that have not sent a whole CONNECT this long after they opened (idle or trickling sockets)',
      ),
    maxConnectionsPerDevice: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(4)
      .describe(
        'Open connections one device credential may hold; one more is refused at CONNECT (a reconnect with the same client id replaces its old connection instead)',
      ),
    maxSubscriptionsPerConnection: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(16)
      .describe(
        'Topic filters one connection may ask for, granted or refused, over its life; one more closes the connection',
      ),
    publishesPerMinute: z
      .number()
      .int()
      .min(1)
      .default(3000)
      .describe(
        'Sustained rate of PUBLISH packets one device credential may send, over all its connections (token bucket)',
      ),
    publishBurst: z
      .number()
      .int()
      .min(1)
      .default(1000)
      .describe(
        'PUBLISH packets a device may send at once before publishesPerMinute applies (a device flushing what it queued offline); one past the bucket closes the connection without PUBACK',
      ),
    connectsPerDevicePerMinute: z
      .number()
      .int()
      .min(1)
      .default(60)
      .describe(
        'Sustained rate of accepted CONNECTs per device credential (token bucket, charged after the secret is checked, so strangers cannot spend it); past it CONNACK "server unavailable"',
      ),
    connectBurstPerDevice: z
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('CONNECTs a device may make at once before connectsPerDevicePerMinute applies'),
    connectsPerAddressPerMinute: z
      .number()
      .int()
      .min(1)
      .default(1200)
      .describe(
        'Sustained rate of new MQTT sockets from one source address (token bucket); past it a socket is closed as soon as it opens',
      ),
    connectBurstPerAddress: z
      .number()
      .int()
      .min(1)
      .default(2000)
      .describe(
        'Sockets one address may open at once: room for a whole site behind one NAT reconnecting after an outage',
      ),
    failedConnectsBeforeBackoff: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe(
        'Wrong-credential CONNECTs one address may make before it waits 1 s, 2 s, 4 s … (at most 60 s) between checked attempts; devices that connected from it before are never held back',
      ),
    keepaliveLimitSeconds: z
      .number()
      .int()
      .min(1)
      .max(65_535)
      .default(1200)
      .describe(
        'Longest keep-alive a client may use: MQTT 5 clients asking for more (or 0) are given this as Server Keep Alive; 3.1.1 clients asking for more or 0 are refused at CONNECT',
      ),
    receiveMaximum: z
      .number()
      .int()
      .min(1)
      .max(65_535)
      .default(64)
      .describe(
        'MQTT 5 Receive Maximum advertised in CONNACK: QoS 1 messages a v5 client may have unacknowledged; one more closes the connection with DISCONNECT 0x93',
      ),
    topicAliasMaximum: z
      .number()
      .int()
      .min(0)
      .max(65_535)
      .default(10)
      .describe('MQTT 5 Topic Alias Maximum advertised in CONNACK (0 = no aliases); a device has at most a few topics'),
    maxSessionsPerDevice: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(8)
      .describe(
        'Persistent sessions (clean: false, or a v5 session expiry) kept per device credential; beyond it the longest idle is ended. At least maxConnectionsPerDevice',
      ),
    sessionExpirySeconds: z
      .number()
      .int()
      .min(1)
      .default(2 * 86_400)
      .describe(
        'A persistent session not connected for this long is ended (3.1.1 sessions never expire by themselves); the most an MQTT 5 client gets as Session Expiry Interval',
      ),
    thread: z
      .boolean()
      .default(true)
      .describe(
        'Run the embedded broker on a thread of its own (a second core for MQTT); false keeps it on the main thread, for a single-core machine',
      ),
    external: z
      .object({
        url: z.url({ protocol: /^mqtts?$/ }).describe('The broker to join, e.g. mqtt://mosquitto:1883'),
        username: z.string().min(1).default('mimamori-hub').describe('The hub’s account on that broker'),
        password: z.string().min(12, 'must be at least 12 characters').describe('The hub’s password on that broker'),
        clientId: z
          .string()
          .min(1)
          .max(64)
          .default('mimamori-hub')
          .describe(
            'Keep it stable and unique per hub: the broker keeps the hub’s session, and the messages for it while it is down, under this id',
          ),
      })
      .optional()
      .describe(
        'External broker mode (docs/scaling.md): join this broker instead of embedding one; devices authenticate there',
      ),
  })
  .refine((mqtt) => mqtt.maxSessionsPerDevice >= mqtt.maxConnectionsPerDevice, {
    path: ['maxSessionsPerDevice'],
    message: 'must be at least mqtt.maxConnectionsPerDevice: every open connection may hold a session',
  })
  .prefault({});

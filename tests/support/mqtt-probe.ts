import { readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import mqtt, { type IConnackPacket, type IDisconnectPacket, type Packet } from 'mqtt';
import mqttPacket from 'mqtt-packet';
import type { staffClient } from '../../hub/src/testing/test-hub.js';
import { until } from '../../hub/src/testing/until.js';

type Api = Awaited<ReturnType<typeof staffClient>>;

/** One sample of a hub's /metrics (0 when the series has not been written yet). */
export async function metric(http: string, series: string): Promise<number> {
  const text = await (await fetch(`${http}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** The ids of every event stored for a home in the last and next hour. */
export async function storedEventIds(api: Api, homeId: string): Promise<string[]> {
  const from = new Date(Date.now() - 3_600_000).toISOString();
  const to = new Date(Date.now() + 3_600_000).toISOString();
  const { body } = await api(
    'GET',
    `/api/homes/${homeId}/events?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=10000`,
  );
  return ((body as { items?: { eventId: string }[] }).items ?? []).map((e) => e.eventId);
}

/** An event JSON the contract accepts, stamped now. */
export const eventPayload = (id: string, type: 'sos' | 'heartbeat' = 'heartbeat') =>
  JSON.stringify(type === 'sos' ? { id, ts: Date.now(), type, via: 'button' } : { id, ts: Date.now(), type });

/**
 * Connects with mqtt.js (3.1.1 unless `options.protocolVersion` says 5; no reconnect) and returns
 * the CONNACK's return or reason code (0 = accepted) and the CONNACK itself with the client, or
 * `closed` when the socket closed with no CONNACK.
 */
export async function connectDevice(
  url: string,
  options: mqtt.IClientOptions,
): Promise<{ code: number | 'closed'; client: mqtt.MqttClient; connack?: IConnackPacket }> {
  const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 10_000, ...options });
  let connack: IConnackPacket | undefined;
  const code = await new Promise<number | 'closed'>((resolve) => {
    client.once('connect', (packet) => {
      connack = packet;
      resolve(0);
    });
    client.once('error', (error) =>
      resolve(typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 'closed'),
    );
    client.once('close', () => resolve('closed'));
  });
  client.on('error', () => {}); // refused or closed clients report it once more on the way out
  return { code, client, ...(connack ? { connack } : {}) };
}

/** Resolves once the client's connection is closed (by either side). */
export function closedOf(client: mqtt.MqttClient): Promise<'closed'> {
  return client.connected
    ? new Promise((resolve) => client.once('close', () => resolve('closed')))
    : Promise.resolve('closed');
}

/**
 * How the broker ended an MQTT 5 connection: the reason code of its DISCONNECT, or `closed`
 * when the socket just closed (always so for 3.1.1, which has no server DISCONNECT).
 */
export function endOf(client: mqtt.MqttClient): Promise<number | 'closed'> {
  if (!client.connected) return Promise.resolve('closed');
  return new Promise((resolve) => {
    client.once('disconnect', (packet) => resolve(packet.reasonCode ?? 0));
    client.once('close', () => resolve('closed'));
  });
}

/**
 * Publishes at QoS 1: `acked` when a successful PUBACK came, the PUBACK's reason code when it
 * refused the message (MQTT 5), `closed` when the connection closed first.
 */
export async function publishQos1(
  client: mqtt.MqttClient,
  topic: string,
  payload: string,
  options: mqtt.IClientPublishOptions = {},
): Promise<'acked' | 'closed' | number> {
  if (!client.connected) return 'closed';
  // A refusing PUBACK followed by DISCONNECT can reach mqtt.js in one read, and it may report the close
  // before the publish: what it received decides.
  let refusedWith: number | undefined;
  const onPacket = (packet: Packet) => {
    if (packet.cmd === 'puback' && (packet.reasonCode ?? 0) >= 0x80) refusedWith = packet.reasonCode;
  };
  client.on('packetreceive', onPacket);
  const outcome = await Promise.race([
    client.publishAsync(topic, payload, { qos: 1, ...options }).then(
      () => 'acked' as const,
      (error: { code?: unknown }) => (typeof error.code === 'number' ? error.code : ('closed' as const)),
    ),
    closedOf(client),
  ]);
  client.off('packetreceive', onPacket);
  return outcome === 'closed' ? (refusedWith ?? 'closed') : outcome;
}

/** Subscribes one filter at QoS 1: the granted QoS (128 = refused in 3.1.1, 0x87 in 5), or `closed`. */
export async function subscribeQos1(client: mqtt.MqttClient, filter: string): Promise<number | 'closed'> {
  if (!client.connected) return 'closed';
  return Promise.race([
    // mqtt.js rejects a SUBACK that refuses a filter (0x80 and up), with the SUBACK on the error.
    client.subscribeAsync(filter, { qos: 1 }).then(
      (granted) => granted[0]?.qos ?? 'closed',
      (error: { packet?: { granted?: number[] } }) => error.packet?.granted?.[0] ?? ('closed' as const),
    ),
    closedOf(client),
  ]);
}

/** A raw TCP socket to the broker, and a promise of its close. */
export async function rawSocket(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {}); // a reset by the hub is one of the outcomes under test
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, closed };
}

/**
 * A raw MQTT connection for packets mqtt.js would never send (packet identifier 0, a silent
 * client): CONNECT is written (3.1.1 or 5) and its CONNACK awaited. `packets` collects what
 * the broker sends; `closed` resolves when the broker closes the socket.
 */
export async function rawClient(
  port: number,
  connect: { protocolVersion: 4 | 5; clientId: string; username: string; password: string; keepalive?: number },
) {
  const { protocolVersion, clientId, username, password, keepalive = 60 } = connect;
  const { socket, closed } = await rawSocket(port);
  const parser = mqttPacket.parser({ protocolVersion });
  const packets: Packet[] = [];
  parser.on('packet', (packet) => packets.push(packet));
  socket.on('data', (chunk: Buffer) => parser.parse(chunk));
  let isClosed = false;
  void closed.then(() => (isClosed = true));
  const send = (packet: Packet) => socket.write(mqttPacket.generate(packet, { protocolVersion }));
  send({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion,
    clientId,
    username,
    password: Buffer.from(password),
    clean: true,
    keepalive,
  });
  const connack = await until(
    () => packets.find((p): p is IConnackPacket => p.cmd === 'connack'),
    (p) => p !== undefined || isClosed,
  );
  /** The reason code of the broker's DISCONNECT, once the socket has closed (undefined when it sent none). */
  const disconnectReason = async () => {
    await closed;
    return packets.find((p): p is IDisconnectPacket => p.cmd === 'disconnect')?.reasonCode;
  };
  return { socket, closed, packets, send, connack, disconnectReason };
}

/** MQTT's variable byte integer [MQTT-2.2.3]. */
export function remainingLength(length: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    bytes.push(byte);
  } while (length > 0);
  return bytes;
}

/**
 * Announces a CONNECT of `announced` bytes and streams zeros after it until the hub closes
 * the socket or everything was sent; returns how much the kernel took from us.
 */
export async function streamOversizedConnect(
  port: number,
  announced: number,
): Promise<{ sent: number; closedByHub: boolean }> {
  const { socket, closed } = await rawSocket(port);
  let isClosed = false;
  void closed.then(() => (isClosed = true));
  const chunk = Buffer.alloc(64 * 1024);
  let sent = 0;
  socket.write(Uint8Array.from([0x10, ...remainingLength(announced)]));
  while (!isClosed && sent < announced) {
    const piece = chunk.subarray(0, Math.min(chunk.length, announced - sent));
    sent += piece.length;
    if (!socket.write(piece)) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed]);
  }
  const closedByHub = isClosed || sent < announced;
  socket.end();
  await closed;
  return { sent, closedByHub };
}

/**
 * The Linux kernel's account of a process's memory: resident now (VmRSS) and its peak since
 * `resetPeak` (VmHWM). The peak catches a buffer that was allocated and freed between samples.
 */
export function processMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** Resets VmHWM to the current RSS (proc(5), clear_refs "5", Linux 4.0+). */
export function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

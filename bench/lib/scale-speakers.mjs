// Speakers for bench/scale.mjs: one MQTT connection per speaker (the ACL binds a connection to
// one device and its own command topic, broker/acl.ts), written with mqtt-packet on raw sockets
// so that tens of thousands fit in one process. Each answers "fine" to the first prompt of a
// check-in unless its home is one of the silent ones. Driven over IPC: `connect`, `stats`, `reset`.
import { Buffer } from 'node:buffer';
import { connect } from 'node:net';
import mqttPacket from 'mqtt-packet';

const { generate, parser: newParser } = mqttPacket;
/** Connections opened at once; more only makes the hub's accept queue longer. */
const CONNECTING_AT_ONCE = 400;
/** Source addresses to spread the connections over: one address has ~28k ephemeral ports. */
const SOURCE_ADDRESSES = 16;

let stats = freshStats();
let offset = 0;
const sockets = [];

function freshStats() {
  return {
    prompts: 0,
    firstPromptAt: null,
    lastPromptAt: null,
    answersSent: 0,
    answersAcked: 0,
    lastAckAt: null,
    errors: 0,
  };
}

/** Opens one speaker's connection; resolves true once it is subscribed to its command topic. */
function speaker({ homeId, deviceId, secret, silent }, port, index) {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress: `127.0.0.${2 + (index % SOURCE_ADDRESSES)}` });
    const parser = newParser({ protocolVersion: 4 });
    let messageId = 1;
    const answered = new Set();
    let settled = false;
    const done = (ok) => {
      if (!settled) {
        settled = true;
        resolve(ok);
      }
    };
    socket.setNoDelay(true);
    socket.on('error', () => {
      stats.errors++;
      done(false);
    });
    socket.on('close', () => done(false));
    socket.on('data', (chunk) => parser.parse(chunk));
    parser.on('packet', (packet) => {
      if (packet.cmd === 'connack') {
        if (packet.returnCode !== 0) return done(false);
        socket.write(
          generate({
            cmd: 'subscribe',
            messageId: messageId++,
            subscriptions: [{ topic: `mimamori/v1/${homeId}/${deviceId}/command`, qos: 1 }],
          }),
        );
      } else if (packet.cmd === 'suback') {
        done(packet.granted[0] === 1);
      } else if (packet.cmd === 'publish') {
        if (packet.qos > 0) socket.write(generate({ cmd: 'puback', messageId: packet.messageId }));
        const command = JSON.parse(packet.payload.toString());
        if (command.type !== 'prompt') return;
        const now = Date.now();
        stats.prompts++;
        stats.firstPromptAt ??= now;
        stats.lastPromptAt = now;
        if (silent || answered.has(command.promptId)) return;
        answered.add(command.promptId);
        const event = {
          id: `ans-${command.promptId}`,
          ts: now + offset,
          type: 'checkin',
          promptId: command.promptId,
          residentId: command.residentId,
          answer: 'fine',
          via: 'voice',
        };
        socket.write(
          generate({
            cmd: 'publish',
            topic: `mimamori/v1/${homeId}/${deviceId}/event`,
            payload: JSON.stringify(event),
            qos: 1,
            messageId: messageId++,
          }),
        );
        stats.answersSent++;
      } else if (packet.cmd === 'puback') {
        stats.answersAcked++;
        stats.lastAckAt = Date.now();
      }
    });
    // The hub's longest keep-alive (it refuses 0 from a 3.1.1 client): no PINGREQ traffic from 100k idle
    // clients during the benchmark, which ends long before the 30 min a silent client is given.
    socket.write(
      generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clean: true,
        clientId: deviceId,
        keepalive: 1200,
        username: deviceId,
        password: Buffer.from(secret),
      }),
    );
    sockets.push(socket);
  });
}

async function connectAll(devices, port) {
  let next = 0;
  let connected = 0;
  const worker = async () => {
    while (next < devices.length) {
      const index = next++;
      if (await speaker(devices[index], port, index)) connected++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECTING_AT_ONCE, devices.length) }, worker));
  return connected;
}

process.on('message', (message) => {
  const reply = (body) => process.send({ id: message.id, ...body });
  switch (message.type) {
    case 'connect':
      offset = message.offset;
      connectAll(message.devices, message.port).then((connected) => reply({ connected }));
      break;
    case 'offset':
      offset = message.offset;
      reply({});
      break;
    case 'stats':
      reply({ stats });
      break;
    case 'reset':
      stats = freshStats();
      reply({});
      break;
    case 'close':
      for (const socket of sockets) socket.destroy();
      reply({});
      process.disconnect();
      break;
  }
});
process.send({ type: 'ready' });

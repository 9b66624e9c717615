// The load generator's own process (forked by load.mjs), so that sending never shares an event
// loop with the server being measured. Commands arrive over IPC: connect, run, close.
//
// Every device is one TCP connection. Payloads are valid per PROTOCOL.md: unique ids per
// device and run, `ts` now. Sensor events rotate motion / environment / power / door;
// check-ins are voluntary "fine" answers by button.
//
// Flow control, so that the rate measured is one the server sustains rather than a backlog in
// socket buffers: at QoS 1 each device keeps at most `inflight` messages unacknowledged; at QoS 0
// each write of up to 16 messages ends with a PINGREQ, and a device keeps at most `inflight`
// writes without their PINGRESP (a server answers a PINGREQ after reading what came before it).
import { Buffer } from 'node:buffer';
import { connect } from 'node:net';
import { clearInterval, clearTimeout, setImmediate, setInterval, setTimeout } from 'node:timers';
import {
  CONNACK,
  DISCONNECT,
  PINGREQ,
  PINGRESP,
  PUBACK,
  connectPacket,
  packetReader,
  publishPacket,
} from './mqtt-wire.mjs';

const PACKETS_PER_WRITE = 16;
let devices = [];
let run;

function sensorPayload(id, ts, n) {
  switch (n % 4) {
    case 0:
      return `{"id":"${id}","ts":${ts},"type":"motion","room":"living","occupied":${n % 8 === 0}}`;
    case 1:
      return `{"id":"${id}","ts":${ts},"type":"environment","temperatureC":${20 + (n % 50) / 10},"humidityPct":${40 + (n % 20)}}`;
    case 2:
      return `{"id":"${id}","ts":${ts},"type":"power","watts":${n % 900}}`;
    default:
      return `{"id":"${id}","ts":${ts},"type":"door","name":"entrance","open":${n % 8 === 3}}`;
  }
}
const checkinPayload = (id, ts) => `{"id":"${id}","ts":${ts},"type":"checkin","answer":"fine","via":"button"}`;

async function connectDevice(address, credentials, index, protocolVersion) {
  const socket = connect({ host: address.host, port: address.port, noDelay: true });
  const device = {
    index,
    socket,
    topic: Buffer.from(`${credentials.topicPrefix}/event`),
    protocolVersion,
    n: 0,
    nextId: 1,
    inflight: 0,
    pings: 0,
    owed: 0,
  };
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`device ${credentials.clientId}: no CONNACK within 15 s`)), 15_000);
    socket.once('error', reject);
    socket.on(
      'data',
      packetReader((type, body) => {
        if (type === CONNACK) {
          clearTimeout(timer);
          if (body[1] === 0) resolve();
          else reject(new Error(`device ${credentials.clientId}: CONNACK return code ${body[1]}`));
        } else if (type === PUBACK) {
          device.inflight -= 1;
          if (run) run.acked += 1;
          device.acksThisRead = true;
        } else if (type === PINGRESP) {
          device.pings -= 1;
          device.acksThisRead = true;
        }
      }),
    );
    // Top up a QoS 1 window once per read, however many PUBACKs the read held.
    socket.on('data', () => {
      if (device.acksThisRead && run) {
        device.acksThisRead = false;
        send(device);
      }
    });
    socket.write(connectPacket(credentials, protocolVersion));
  });
  socket.on('error', (error) => run?.errors.push(error.message));
  socket.on('close', () => run?.running && run.errors.push(`device ${credentials.clientId} disconnected`));
  return device;
}

/** Writes what the device owes (within its QoS 1 window) in chunks; waits for 'drain' when the socket is full. */
function send(device) {
  if (!run?.running || device.waitingForDrain) return;
  let writes = 0;
  while (device.owed > 0) {
    const room = run.qos === 1 ? run.inflight - device.inflight : device.pings < run.inflight ? PACKETS_PER_WRITE : 0;
    const count = Math.min(room, PACKETS_PER_WRITE, device.owed);
    if (count <= 0) return;
    const ts = Date.now();
    const packets = [];
    for (let i = 0; i < count; i++) {
      const n = ++device.n;
      const id = `${run.idPrefix}-${device.index}-${n}`;
      const payload = run.payload === 'checkin' ? checkinPayload(id, ts) : sensorPayload(id, ts, n);
      const packetId = device.nextId;
      device.nextId = packetId === 65535 ? 1 : packetId + 1;
      packets.push(publishPacket(device.topic, payload, run.qos, packetId, device.protocolVersion));
    }
    if (run.qos === 0) {
      packets.push(PINGREQ);
      device.pings += 1;
    }
    device.owed -= count;
    device.inflight += run.qos === 1 ? count : 0;
    run.sent += count;
    if (!device.socket.write(packets.length === 1 ? packets[0] : Buffer.concat(packets))) {
      device.waitingForDrain = true;
      device.socket.once('drain', () => {
        device.waitingForDrain = false;
        send(device);
      });
      return;
    }
    // Let the other sockets (and the PUBACKs) have a turn.
    if (++writes >= 4) {
      setImmediate(() => send(device));
      return;
    }
  }
}

async function runLoad({ qos, seconds, rate, inflight, payload, idPrefix }) {
  run = { qos, inflight, payload, idPrefix, running: true, sent: 0, acked: 0, errors: [] };
  const started = performance.now();
  let ticker;
  if (rate > 0) {
    // A fixed overall rate, shared round-robin over the devices every 10 ms.
    let scheduled = 0;
    let next = 0;
    ticker = setInterval(() => {
      const due = Math.floor((rate * (performance.now() - started)) / 1000) - scheduled;
      scheduled += due;
      for (let i = 0; i < due; i++) devices[(next + i) % devices.length].owed += 1;
      next = (next + due) % devices.length;
      for (const device of devices) send(device);
    }, 10);
  } else {
    for (const device of devices) {
      device.owed = Number.POSITIVE_INFINITY;
      send(device);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  run.running = false;
  clearInterval(ticker);
  const sendingSeconds = (performance.now() - started) / 1000;
  for (const device of devices) device.owed = 0;
  // QoS 1: wait for the outstanding acknowledgements, so `acked` is final.
  const drainUntil = Date.now() + 30_000;
  while (devices.some((d) => d.inflight > 0 || d.pings > 0) && Date.now() < drainUntil)
    await new Promise((resolve) => setTimeout(resolve, 20));
  const { sent, acked, errors } = run;
  return { sent, acked, seconds: sendingSeconds, errors: [...new Set(errors)].slice(0, 5) };
}

process.on('message', async (message) => {
  try {
    if (message.cmd === 'connect') {
      devices = [];
      // A few at a time: a server that hashes credentials should not see a thundering herd.
      for (let i = 0; i < message.devices.length; i += 50) {
        devices.push(
          ...(await Promise.all(
            message.devices
              .slice(i, i + 50)
              .map((d, j) => connectDevice(message.address, d, i + j, message.protocolVersion ?? 4)),
          )),
        );
      }
      process.send({ ok: 'connect', connected: devices.length });
    } else if (message.cmd === 'run') {
      process.send({ ok: 'run', ...(await runLoad(message)) });
    } else if (message.cmd === 'close') {
      run = undefined;
      await Promise.all(
        devices.map(
          (d) =>
            new Promise((resolve) => {
              d.socket.once('close', resolve);
              d.socket.end(DISCONNECT);
              setTimeout(() => {
                d.socket.destroy();
                resolve();
              }, 2000).unref();
            }),
        ),
      );
      process.send({ ok: 'close' });
    }
  } catch (error) {
    process.send({ error: error.message });
  }
});

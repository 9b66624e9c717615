// The pipeline a user would write instead of the hub: Mosquitto, and a plain Node mqtt.js
// subscriber that parses each event and inserts it into SQLite (better-sqlite3), batched —
// one transaction per 1,000 rows or 50 ms, whichever comes first. Same pragmas as the hub
// (WAL, synchronous = FULL) so both store with the same durability; duplicates ignored by a
// unique key. Unlike the hub, Mosquitto acknowledges a QoS 1 message before it is stored.
import { join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';

const BATCH_ROWS = 1000;
const BATCH_MS = 50;

export async function startSqliteSubscriber(address, dir) {
  const db = new Database(join(dir, 'events.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY, home_id TEXT NOT NULL, device_id TEXT NOT NULL, event_id TEXT NOT NULL,
    type TEXT NOT NULL, ts INTEGER NOT NULL, data TEXT NOT NULL, UNIQUE (device_id, event_id))`);
  const insert = db.prepare(
    'INSERT OR IGNORE INTO events (home_id, device_id, event_id, type, ts, data) VALUES (?, ?, ?, ?, ?, ?)',
  );
  let stored = 0;
  let rejected = 0;
  let batch = [];
  let timer;
  const commit = db.transaction((rows) => {
    for (const row of rows) stored += insert.run(...row).changes;
  });
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const rows = batch;
    batch = [];
    commit(rows);
  };
  const client = await mqtt.connectAsync(`mqtt://${address.host}:${address.port}`, {
    clientId: 'bench-sqlite-subscriber',
    reconnectPeriod: 0,
    clean: true,
  });
  client.on('message', (topic, payload) => {
    const [, , homeId, deviceId] = topic.split('/');
    let event;
    try {
      event = JSON.parse(payload.toString('utf8'));
    } catch {
      rejected += 1;
      return;
    }
    const { id, ts, type, ...data } = event;
    if (typeof id !== 'string' || typeof ts !== 'number' || typeof type !== 'string') {
      rejected += 1;
      return;
    }
    batch.push([homeId, deviceId, id, type, ts, JSON.stringify(data)]);
    if (batch.length >= BATCH_ROWS) flush();
    else timer ??= setTimeout(flush, BATCH_MS);
  });
  await client.subscribeAsync('mimamori/v1/+/+/event', { qos: 1 });
  return {
    processed: () => stored,
    refused: () => rejected,
    async stop() {
      await client.endAsync(true);
      if (batch.length > 0) flush();
      db.close();
    },
  };
}

import { createHash, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Device, DeviceInput, DeviceKind } from '@mimamori/contract';
import type { Db } from './database.js';
import { IdTakenError, insertWithId, newId } from './ids.js';
import { iso, isoOrNull } from './rows.js';

/** A device as `ofHome` gives it; `registeredAt` is when the hub first listed it. */
export interface HomeDevice {
  id: string;
  kind: DeviceKind;
  registeredAt: number;
}

interface DeviceRow {
  id: string;
  home_id: string;
  kind: DeviceKind;
  name: string | null;
  secret_hash: string | null;
  online: number;
  last_seen_at: number | null;
  battery: number | null;
  z2m_name: string | null;
  credentials_issued_at: number | null;
  created_at: number;
}

/** A device's entry in an external broker's password file; the hash is null for secrets issued before it was kept. */
export interface BrokerAccount extends DevicePrincipal {
  passwordHash: string | null;
}

/** What the broker needs to know about a device that presents credentials. */
export interface DevicePrincipal {
  deviceId: string;
  homeId: string;
  kind: DeviceKind;
  /** When the device was registered: an event it stamps earlier is refused (the store always says). */
  registeredAt?: number;
}

type PrincipalRow = Pick<DeviceRow, 'id' | 'home_id' | 'kind' | 'created_at'>;
const toPrincipal = (r: PrincipalRow): DevicePrincipal => ({
  deviceId: r.id,
  homeId: r.home_id,
  kind: r.kind,
  registeredAt: r.created_at,
});

const toDevice = (r: DeviceRow): Device => ({
  id: r.id,
  homeId: r.home_id,
  kind: r.kind,
  name: r.name,
  hasCredentials: r.secret_hash !== null,
  online: r.online === 1,
  lastSeenAt: isoOrNull(r.last_seen_at),
  battery: r.battery,
  z2mName: r.z2m_name,
  credentialsIssuedAt: isoOrNull(r.credentials_issued_at),
  createdAt: iso(r.created_at),
});

/**
 * Device secrets are 256 random bits, so a single SHA-256 is as strong as a slow password
 * hash against guessing and keeps CONNECT cheap for tens of thousands of devices; the
 * plaintext is returned once by `issueSecret` and never stored.
 */
const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/**
 * A secret as a line of Mosquitto's password file expects it (`$7$`: PBKDF2-HMAC-SHA512, 101
 * iterations, 12-byte salt, as `mosquitto_passwd` writes it). The external broker mode
 * (docs/scaling.md) writes these out with `mimamori-hub mosquitto-config`.
 */
export function mosquittoPasswordHash(secret: string, salt: Buffer = randomBytes(12)): string {
  const iterations = 101;
  const hash = pbkdf2Sync(secret, salt, iterations, 64, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export class DeviceRepository {
  constructor(private readonly db: Db) {}

  create(input: DeviceInput, now: number): Device {
    const id = input.id ?? newId('d');
    if (input.z2mName !== undefined && this.byZ2mName(input.homeId, input.z2mName)) {
      throw new IdTakenError(input.z2mName, `Zigbee2MQTT name in home ${input.homeId}`);
    }
    insertWithId(id, () =>
      this.db
        .prepare('INSERT INTO devices (id, home_id, kind, name, z2m_name, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, input.homeId, input.kind, input.name ?? null, input.z2mName ?? null, now),
    );
    return this.get(id) as Device;
  }

  /** The device a home's Zigbee2MQTT gateway calls `name`. */
  byZ2mName(homeId: string, name: string): Device | undefined {
    const row = this.db.prepare('SELECT * FROM devices WHERE home_id = ? AND z2m_name = ?').get(homeId, name) as
      DeviceRow | undefined;
    return row && toDevice(row);
  }

  get(id: string): Device | undefined {
    const row = this.db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as DeviceRow | undefined;
    return row && toDevice(row);
  }

  list(homeId?: string): Device[] {
    const rows = homeId
      ? this.db.prepare('SELECT * FROM devices WHERE home_id = ? ORDER BY id').all(homeId)
      : this.db.prepare('SELECT * FROM devices ORDER BY id').all();
    return (rows as DeviceRow[]).map(toDevice);
  }

  /**
   * A home's devices as the engine and the speakers know them: what each is and since when. Every
   * check-in prompt and every home the engine looks at afresh asks this; whole devices, made for
   * the API, took 7 s of the 9:00 burst of 100,000 prompts (issue 21).
   */
  ofHome(homeId: string): HomeDevice[] {
    return this.db
      .prepare('SELECT id, kind, created_at AS registeredAt FROM devices WHERE home_id = ? ORDER BY id')
      .all(homeId) as HomeDevice[];
  }

  /**
   * Devices that need someone to look (issue 19 items 2 and 7), worst first: never heard from
   * (registered with credentials, or a gateway's sensor, but no message ever), offline (longest
   * silent first), then low on battery (emptiest first).
   */
  needingAttention(lowBatteryPct: number): Device[] {
    const rows = this.db
      .prepare(
        `SELECT *, CASE WHEN last_seen_at IS NULL THEN 0 WHEN online = 0 THEN 1 ELSE 2 END AS rank FROM devices
         WHERE (last_seen_at IS NULL AND (secret_hash IS NOT NULL OR z2m_name IS NOT NULL))
            OR (online = 0 AND last_seen_at IS NOT NULL) OR battery <= ?
         ORDER BY rank, COALESCE(last_seen_at, credentials_issued_at, created_at), battery, id`,
      )
      .all(lowBatteryPct) as DeviceRow[];
    return rows.map(toDevice);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM devices WHERE id = ?').run(id).changes > 0;
  }

  /** Issues a new secret (replacing any earlier one) and returns it; undefined for an unknown device. */
  issueSecret(id: string, now: number): string | undefined {
    const secret = randomBytes(32).toString('base64url');
    const { changes } = this.db
      .prepare('UPDATE devices SET secret_hash = ?, broker_secret_hash = ?, credentials_issued_at = ? WHERE id = ?')
      .run(hashSecret(secret), mosquittoPasswordHash(secret), now, id);
    return changes > 0 ? secret : undefined;
  }

  /** Every device with credentials, as an external broker's password file and ACL need them. */
  brokerAccounts(): BrokerAccount[] {
    const rows = this.db
      .prepare('SELECT id, home_id, kind, broker_secret_hash FROM devices WHERE secret_hash IS NOT NULL ORDER BY id')
      .all() as (Pick<DeviceRow, 'id' | 'home_id' | 'kind'> & { broker_secret_hash: string | null })[];
    return rows.map((r) => ({ deviceId: r.id, homeId: r.home_id, kind: r.kind, passwordHash: r.broker_secret_hash }));
  }

  /** The home's Zigbee2MQTT gateway, which stands behind every `…/z2m/{name}` message of the home. */
  gatewayOf(homeId: string): DevicePrincipal | undefined {
    const row = this.db
      .prepare(
        "SELECT id, home_id, kind, created_at FROM devices WHERE home_id = ? AND kind = 'gateway' ORDER BY id LIMIT 1",
      )
      .get(homeId) as PrincipalRow | undefined;
    return row && toPrincipal(row);
  }

  /** The device whose id and secret these are, or undefined; compares in constant time. */
  authenticate(deviceId: string, secret: string): DevicePrincipal | undefined {
    const row = this.db
      .prepare('SELECT id, home_id, kind, created_at, secret_hash FROM devices WHERE id = ?')
      .get(deviceId) as (PrincipalRow & Pick<DeviceRow, 'secret_hash'>) | undefined;
    if (!row?.secret_hash) return undefined;
    const expected = Buffer.from(row.secret_hash, 'hex');
    const given = Buffer.from(hashSecret(secret), 'hex');
    return timingSafeEqual(expected, given) ? toPrincipal(row) : undefined;
  }

  /** The principal for a device id, for wills published after its client has gone. */
  principal(deviceId: string): DevicePrincipal | undefined {
    const row = this.db.prepare('SELECT id, home_id, kind, created_at FROM devices WHERE id = ?').get(deviceId) as
      PrincipalRow | undefined;
    return row && toPrincipal(row);
  }

  setOnline(deviceId: string, online: boolean, at: number): void {
    this.db.prepare('UPDATE devices SET online = ?, last_seen_at = ? WHERE id = ?').run(online ? 1 : 0, at, deviceId);
  }
}

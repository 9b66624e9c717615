import type { DeviceCommand } from '@mimamori/contract';
import { deviceCommand } from '@mimamori/contract';
import type { Db } from './database.js';

interface EchoRow {
  device_id: string;
  home_id: string;
  alexa_device_id: string;
  alexa_user_id: string;
  api_endpoint: string;
  locale: string;
  reminders_granted: number;
  permission_asked_at: number | null;
  paired_at: number;
}

/** An Echo paired to a home: the hub device standing for it and how Alexa knows it. */
export interface PairedEcho {
  deviceId: string;
  homeId: string;
  alexaDeviceId: string;
  /** Alexa's id for the account's enablement of the skill; a new one after the skill is enabled again. */
  alexaUserId: string;
  /** Where the account's Alexa APIs are (its region), from the skill's requests. */
  apiEndpoint: string;
  locale: string;
  remindersGranted: boolean;
  permissionAskedAt: number | undefined;
  pairedAt: number;
}

/** How Alexa last introduced the Echo (every request carries it). */
export interface EchoContact {
  alexaUserId: string;
  apiEndpoint: string;
  locale: string;
  remindersGranted: boolean;
}

/** A command waiting for the resident to open the skill. */
export interface PendingCommand {
  key: string;
  command: Extract<DeviceCommand, { type: 'prompt' | 'announce' }>;
  createdAt: number;
  expiresAt: number;
  /** The Alexa reminder made for it, when one was. */
  reminder: string | undefined;
}

const SELECT_ECHO = 'SELECT e.*, d.home_id FROM alexa_echos e JOIN devices d ON d.id = e.device_id';

const toEcho = (r: EchoRow): PairedEcho => ({
  deviceId: r.device_id,
  homeId: r.home_id,
  alexaDeviceId: r.alexa_device_id,
  alexaUserId: r.alexa_user_id,
  apiEndpoint: r.api_endpoint,
  locale: r.locale,
  remindersGranted: r.reminders_granted === 1,
  permissionAskedAt: r.permission_asked_at ?? undefined,
  pairedAt: r.paired_at,
});

/**
 * Paired Echos and what waits for each (docs/speakers.md, Alexa). The Echo's hub device is created with
 * it and deleting that device (or its home) unpairs it and drops what waited for it.
 */
export class AlexaEchoRepository {
  constructor(private readonly db: Db) {}

  pair(echo: Omit<PairedEcho, 'homeId' | 'permissionAskedAt'>): void {
    this.db
      .prepare(
        `INSERT INTO alexa_echos (device_id, alexa_device_id, alexa_user_id, api_endpoint, locale, reminders_granted, paired_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        echo.deviceId,
        echo.alexaDeviceId,
        echo.alexaUserId,
        echo.apiEndpoint,
        echo.locale,
        echo.remindersGranted ? 1 : 0,
        echo.pairedAt,
      );
  }

  byAlexaDevice(alexaDeviceId: string): PairedEcho | undefined {
    const row = this.db.prepare(`${SELECT_ECHO} WHERE e.alexa_device_id = ?`).get(alexaDeviceId) as EchoRow | undefined;
    return row && toEcho(row);
  }

  get(deviceId: string): PairedEcho | undefined {
    const row = this.db.prepare(`${SELECT_ECHO} WHERE e.device_id = ?`).get(deviceId) as EchoRow | undefined;
    return row && toEcho(row);
  }

  ofHome(homeId: string): PairedEcho[] {
    return (this.db.prepare(`${SELECT_ECHO} WHERE d.home_id = ? ORDER BY e.paired_at`).all(homeId) as EchoRow[]).map(
      toEcho,
    );
  }

  ofUser(alexaUserId: string): PairedEcho[] {
    return (this.db.prepare(`${SELECT_ECHO} WHERE e.alexa_user_id = ?`).all(alexaUserId) as EchoRow[]).map(toEcho);
  }

  /** What the latest request said of the Echo's account. */
  updateContact(deviceId: string, contact: EchoContact): void {
    this.db
      .prepare(
        'UPDATE alexa_echos SET alexa_user_id = ?, api_endpoint = ?, locale = ?, reminders_granted = ? WHERE device_id = ?',
      )
      .run(contact.alexaUserId, contact.apiEndpoint, contact.locale, contact.remindersGranted ? 1 : 0, deviceId);
  }

  /** The resident granted or withdrew reminders in the Alexa app (a skill event, for the whole account). */
  setRemindersGranted(alexaUserId: string, granted: boolean): number {
    return this.db
      .prepare('UPDATE alexa_echos SET reminders_granted = ? WHERE alexa_user_id = ?')
      .run(granted ? 1 : 0, alexaUserId).changes;
  }

  permissionAsked(deviceId: string, at: number): void {
    this.db.prepare('UPDATE alexa_echos SET permission_asked_at = ? WHERE device_id = ?').run(at, deviceId);
  }

  /** Keeps a command for the next time the resident opens the skill; the same key replaces it (a re-prompt). */
  putPending(deviceId: string, pending: Omit<PendingCommand, 'reminder'>): void {
    this.db
      .prepare(
        `INSERT INTO alexa_pending (device_id, key, kind, command, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (device_id, key) DO UPDATE SET command = excluded.command, expires_at = excluded.expires_at`,
      )
      .run(
        deviceId,
        pending.key,
        pending.command.type,
        JSON.stringify(pending.command),
        pending.createdAt,
        pending.expiresAt,
      );
  }

  removePending(deviceId: string, key: string): boolean {
    return this.db.prepare('DELETE FROM alexa_pending WHERE device_id = ? AND key = ?').run(deviceId, key).changes > 0;
  }

  /** What still waits for the Echo, oldest first; what expired is dropped. */
  pendingOf(deviceId: string, now: number): PendingCommand[] {
    this.db.prepare('DELETE FROM alexa_pending WHERE device_id = ? AND expires_at <= ?').run(deviceId, now);
    const rows = this.db
      .prepare(
        'SELECT key, command, created_at, expires_at, reminder FROM alexa_pending WHERE device_id = ? ORDER BY created_at, rowid',
      )
      .all(deviceId) as {
      key: string;
      command: string;
      created_at: number;
      expires_at: number;
      reminder: string | null;
    }[];
    return rows.map((r) => ({
      key: r.key,
      command: deviceCommand.parse(JSON.parse(r.command)) as PendingCommand['command'],
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      reminder: r.reminder ?? undefined,
    }));
  }

  pending(deviceId: string, key: string, now: number): PendingCommand | undefined {
    return this.pendingOf(deviceId, now).find((p) => p.key === key);
  }

  reminderMade(deviceId: string, key: string, alertToken: string): void {
    this.db
      .prepare('UPDATE alexa_pending SET reminder = ? WHERE device_id = ? AND key = ?')
      .run(alertToken, deviceId, key);
  }
}

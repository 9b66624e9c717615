import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { deviceEvent, type DeviceEventInput } from '@mimamori/contract';
import type { Log } from '@mimamori/device-link';
import type { Clock } from '@mimamori/contract';

export interface OutboxDeps {
  dir: string;
  /** Sends one event and resolves at the hub's PUBACK (DeviceLink.send). */
  send: (event: DeviceEventInput) => Promise<void>;
  clock: Clock;
  log: Log;
}

/** After a failed send on a connection that still looks up, the next try waits this long. */
const RETRY_MS = 5000;

interface Entry {
  event: DeviceEventInput;
  file: string;
  sending: boolean;
  delivered: Promise<void>;
  resolve: () => void;
}

/**
 * Answers and SOS presses kept on disk until the hub has acknowledged them (PUBACK: stored by
 * the hub), so a hub outage, a lost network or a restart of the speaker loses none. Each is
 * sent again after every reconnect with its original id and time: the hub ignores a repeated
 * id and takes late answers at their own time (PROTOCOL.md, Event JSON). One file per event,
 * written to a temporary name, flushed to disk and renamed, so a power cut leaves either the
 * whole event or none of it.
 */
export class Outbox {
  readonly #entries = new Map<string, Entry>();
  #online = false;
  #seq = 0;

  constructor(private readonly deps: OutboxDeps) {}

  /** Reads what earlier runs left unsent; call before the link connects. */
  load(): number {
    const { dir, log } = this.deps;
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      if (name.endsWith('.tmp')) {
        rmSync(file, { force: true }); // a write that a crash interrupted: it was never confirmed
        continue;
      }
      if (!name.endsWith('.json')) continue;
      const raw = parseJson(readFileSync(file, 'utf8'));
      const parsed = deviceEvent.safeParse(raw);
      if (!parsed.success) {
        log.error(`outbox: ${name} is unreadable and set aside (${parsed.error.issues[0]?.message ?? 'invalid'})`);
        renameSync(file, `${file}.bad`);
        continue;
      }
      this.#seq = Math.max(this.#seq, Number.parseInt(name, 10) || 0);
      // Sent again exactly as first written (its id and time), not as the schema reads it.
      this.#track(raw as DeviceEventInput, file);
    }
    return this.#entries.size;
  }

  /** Events kept and not yet acknowledged. */
  get pending(): number {
    return this.#entries.size;
  }

  /**
   * Keeps an event durably, then sends it if the hub is reachable. Resolves once it is on disk;
   * `delivered` resolves at the hub's PUBACK, however many reconnects that takes.
   */
  add(event: DeviceEventInput): { delivered: Promise<void> } {
    const { dir } = this.deps;
    const name = `${String(++this.#seq).padStart(8, '0')}-${event.type}.json`;
    const file = join(dir, name);
    writeDurably(file, JSON.stringify(event));
    const entry = this.#track(event, file);
    if (this.#online) this.#send(entry);
    return { delivered: entry.delivered };
  }

  /** The link is up (sends everything kept, oldest first) or down. */
  setOnline(online: boolean): void {
    this.#online = online;
    if (online) for (const entry of this.#entries.values()) this.#send(entry);
  }

  #track(event: DeviceEventInput, file: string): Entry {
    let resolve: () => void = () => undefined;
    const delivered = new Promise<void>((r) => (resolve = r));
    const entry: Entry = { event, file, sending: false, delivered, resolve };
    this.#entries.set(event.id, entry);
    return entry;
  }

  #send(entry: Entry): void {
    if (entry.sending) return;
    entry.sending = true;
    this.deps.send(entry.event).then(
      () => {
        // A lost delete only means one more resend after a restart, which the hub ignores.
        rmSync(entry.file, { force: true });
        this.#entries.delete(entry.event.id);
        entry.resolve();
      },
      (error: unknown) => {
        entry.sending = false;
        this.deps.log.error(
          `outbox: ${entry.event.type} ${entry.event.id} not acknowledged (${(error as Error).message}); kept`,
        );
        // Every reconnect sends it again; this covers a failure on a connection that stayed up.
        this.deps.clock.setTimer(() => {
          if (this.#online && this.#entries.has(entry.event.id)) this.#send(entry);
        }, RETRY_MS);
      },
    );
  }
}

function writeDurably(file: string, text: string): void {
  const temporary = `${file}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  // The rename itself is durable only once the directory is.
  const dirFd = openSync(join(file, '..'), 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

import type { Logger } from 'pino';
import { BUSY_TIMEOUT_MS } from '../store/database.js';
import type { Clock } from '../time/index.js';

/**
 * An event that could not be stored (or whose rule work could not be committed): its message
 * is refused without PUBACK, and the device keeps it and sends it again.
 */
export class StoreUnavailable extends Error {
  constructor(
    readonly code: string,
    cause: unknown,
  ) {
    super(`cannot store the event (${code})`, { cause });
    this.name = 'StoreUnavailable';
  }
}

export interface StoreCheck {
  ok: boolean;
  detail?: string;
}

/**
 * Whether events can be stored, as the last commit found: an outage (the disk full, the database
 * locked) is logged loudly once when it begins, again only if its cause changes, and once when
 * it ends. Every refused message comes back from its device, and a line per refusal would bury
 * the one that says what to do. `/health` reports the outage while it lasts.
 */
export class StoreHealth {
  #outage: { since: number; code: string; advice: string } | undefined;

  constructor(private readonly deps: { clock: Clock; logger: Logger }) {}

  /** A commit failed; returns the error the message is refused with. */
  failed(error: unknown): StoreUnavailable {
    const code = sqliteCode(error);
    if (this.#outage?.code !== code) {
      const advice = adviceFor(code);
      this.deps.logger.error(
        { err: error, code },
        `cannot store events: ${advice}. QoS 1 events are refused without PUBACK until a write succeeds; devices keep them and send them again`,
      );
      this.#outage = { since: this.#outage?.since ?? this.deps.clock.now(), code, advice };
    }
    return new StoreUnavailable(code, error);
  }

  /** Events were stored and handed over: an outage, if there was one, is over. */
  succeeded(): void {
    const outage = this.#outage;
    if (!outage) return;
    this.#outage = undefined;
    const seconds = Math.round((this.deps.clock.now() - outage.since) / 1000);
    // At warn, not info: whoever runs the hub at warn saw the outage begin and must see it end.
    this.deps.logger.warn(
      { code: outage.code, seconds },
      `storing events again after ${seconds} s; devices are sending what was refused`,
    );
  }

  check(): StoreCheck {
    const outage = this.#outage;
    if (!outage) return { ok: true };
    return { ok: false, detail: `${outage.code} since ${new Date(outage.since).toISOString()}: ${outage.advice}` };
  }
}

/** SQLite's extended result code as better-sqlite3 gives it (`SQLITE_FULL`, `SQLITE_BUSY`, `SQLITE_IOERR_WRITE` …). */
function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

/** What the code means for an operator and what to do about it (https://www.sqlite.org/rescode.html). */
function adviceFor(code: string): string {
  if (code === 'SQLITE_FULL') return 'the disk holding the data directory is full; free space there';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return `another program has held a lock on the database for longer than ${BUSY_TIMEOUT_MS / 1000} s; end its transaction (an sqlite3 shell, a script)`;
  }
  if (code.startsWith('SQLITE_IOERR')) return 'the disk reports input/output errors; check the disk and the kernel log';
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return 'the database cannot be written; check the data directory’s permissions and mount';
  }
  return 'the database refused the write';
}

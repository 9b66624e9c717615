import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { ALIVE_KEY } from '../deadlines/index.js';
import { BaselineJob } from '../engine/index.js';
import {
  AbsenceRepository,
  BaselineRepository,
  DeviceRepository,
  EventJournal,
  HomeRepository,
  HubStateRepository,
  JournalCursor,
  openDatabase,
} from '../store/index.js';
import type { Clock } from '../time/index.js';
import { importHistory, type ImportReport } from './import-history.js';

/** A hub that noted it was alive this recently is taken to be running. */
const RUNNING_WITHIN_MS = 90_000;

/**
 * `mimamori-hub import <file.jsonl>`: loads a history file into the hub's store while the hub
 * is stopped. Imported events are history: the engine's cursor moves past them, so live rules
 * never alert on them, and backtests and baselines see them. Baselines are recomputed at the
 * end. Returns the process exit code: 0, or 1 when any line was rejected (the rest is kept).
 */
export async function runImportCommand(
  file: string,
  deps: { config: Config; clock: Clock; logger: Logger; out: (line: string) => void },
): Promise<number> {
  const { config, clock, logger, out } = deps;
  const db = openDatabase(join(config.dataDir, 'mimamori.sqlite'));
  try {
    const now = clock.now();
    const aliveAt = new HubStateRepository(db).get(ALIVE_KEY);
    if (aliveAt !== undefined && now - aliveAt < RUNNING_WITHIN_MS) {
      out(
        `The hub using ${config.dataDir} looks like it is running (last alive ${new Date(aliveAt).toISOString()}). Stop it, then import.`,
      );
      return 2;
    }
    const journal = new EventJournal(db);
    const cursor = new JournalCursor(db, 'engine');
    const unevaluated = journal.headSeq() - cursor.get();
    if (unevaluated > 0) {
      out(
        `${unevaluated} stored events have not been through the rules yet. Start the hub once so it catches up, stop it, then import.`,
      );
      return 2;
    }
    const homes = new HomeRepository(db);
    const lines = createInterface({
      input: file === '-' ? process.stdin : createReadStream(file),
      crlfDelay: Infinity,
    });
    const absences = new AbsenceRepository(db);
    const devices = new DeviceRepository(db);
    const report = await importHistory(lines, { homes, devices, absences, journal, now });
    cursor.set(journal.headSeq());
    new BaselineJob({ homes, devices, journal, absences, baselines: new BaselineRepository(db), clock, logger }).run();
    for (const line of describe(report)) out(line);
    return report.rejected > 0 ? 1 : 0;
  } finally {
    db.close();
  }
}

function describe(r: ImportReport): string[] {
  const { homes, residents, devices, absences } = r.created;
  return [
    `Read ${r.lines} lines: ${r.events} events stored, ${r.duplicates} already there; created ${homes} homes, ${residents} residents, ${devices} devices, ${absences} absences.`,
    ...(r.rejected > 0
      ? [
          `${r.rejected} lines rejected (nothing else was lost):`,
          ...r.problems.map((p) => `  line ${p.line}: ${p.message}`),
        ]
      : []),
  ];
}

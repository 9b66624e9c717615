import {
  historyAbsence,
  historyDevice,
  historyEvent,
  historyHome,
  historyResident,
  type ParsedHistoryLine,
} from '@mimamori/contract';
import { MAX_CLOCK_SKEW_MS } from '../ingest/index.js';
import type { AbsenceRepository, DeviceRepository, EventJournal, HomeRepository } from '../store/index.js';

export interface ImportDeps {
  homes: Pick<HomeRepository, 'get' | 'create' | 'getResident' | 'addResident'>;
  devices: Pick<DeviceRepository, 'get' | 'create'>;
  absences: Pick<AbsenceRepository, 'create' | 'overlapping'>;
  journal: Pick<EventJournal, 'append'>;
  now: number;
}

export interface ImportReport {
  lines: number;
  created: { homes: number; residents: number; devices: number; absences: number };
  events: number;
  duplicates: number;
  rejected: number;
  /** The first problems, with their line numbers; `rejected` counts them all. */
  problems: { line: number; message: string }[];
}

const MAX_PROBLEMS_LISTED = 20;
/** Events are appended in groups this large: one transaction (one fsync) per group. */
const GROUP = 5000;

/**
 * Loads a history file (contract `historyLine`, docs/history-import.md) line by line. A line
 * that is not valid JSON, fails the schema, names a home or device that does not exist, or is
 * stamped in the future is counted and reported with its number, and the rest carries on.
 * Homes, residents and devices are created when missing (without MQTT credentials); an
 * absence identical to a stored one is not added twice; events already stored (same device
 * and id) are duplicates and change nothing, so importing a file twice is harmless.
 */
export async function importHistory(lines: AsyncIterable<string>, deps: ImportDeps): Promise<ImportReport> {
  const report: ImportReport = {
    lines: 0,
    created: { homes: 0, residents: 0, devices: 0, absences: 0 },
    events: 0,
    duplicates: 0,
    rejected: 0,
    problems: [],
  };
  const reject = (line: number, message: string) => {
    report.rejected++;
    if (report.problems.length < MAX_PROBLEMS_LISTED) report.problems.push({ line, message });
  };
  // Devices are looked up once per import: a file holds millions of events from a few devices each.
  const devices = new Map<string, { homeId: string } | undefined>();
  const deviceOf = (id: string) => {
    if (!devices.has(id)) devices.set(id, deps.devices.get(id));
    return devices.get(id);
  };
  let pending: Promise<void>[] = [];
  const flush = async () => {
    await Promise.all(pending);
    pending = [];
  };

  for await (const text of lines) {
    const number = ++report.lines;
    if (text.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      reject(number, 'not JSON');
      continue;
    }
    const schema = schemaFor(json);
    if (!schema) {
      reject(
        number,
        'not a history record: expected an object with "event", "home", "resident", "device" or "absence"',
      );
      continue;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      reject(number, `${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}`);
      continue;
    }
    // Records refer to earlier ones: a device to its home, an event to its device.
    if (!('event' in parsed.data)) await flush();
    if ('device' in parsed.data) devices.delete(parsed.data.device.id);
    const problem = apply(parsed.data, { ...deps, deviceOf }, report, (p) => pending.push(p));
    if (problem) reject(number, problem);
    if (pending.length >= GROUP) await flush();
  }
  await flush();
  return report;
}

/** The record's schema, chosen by its key, so that an error names the field that is wrong. */
function schemaFor(json: unknown) {
  if (typeof json !== 'object' || json === null) return undefined;
  if ('event' in json) return historyEvent;
  if ('home' in json) return historyHome;
  if ('resident' in json) return historyResident;
  if ('device' in json) return historyDevice;
  if ('absence' in json) return historyAbsence;
  return undefined;
}

function apply(
  line: ParsedHistoryLine,
  deps: ImportDeps & { deviceOf: (id: string) => { homeId: string } | undefined },
  report: ImportReport,
  queue: (p: Promise<void>) => void,
): string | undefined {
  if ('event' in line) {
    const device = deps.deviceOf(line.deviceId);
    if (!device || device.homeId !== line.homeId)
      return `device ${line.deviceId} is not registered in home ${line.homeId}`;
    if (line.event.ts > deps.now + MAX_CLOCK_SKEW_MS) return `event ${line.event.id} is stamped in the future`;
    queue(
      deps.journal
        .append({ homeId: line.homeId, deviceId: line.deviceId, event: line.event, receivedAt: line.event.ts })
        .then((stored) => {
          if (stored) report.events++;
          else report.duplicates++;
        }),
    );
    return undefined;
  }
  if ('home' in line) {
    if (!deps.homes.get(line.home.id)) {
      deps.homes.create(line.home, deps.now);
      report.created.homes++;
    }
    return undefined;
  }
  if ('resident' in line) {
    const { homeId, ...resident } = line.resident;
    if (!deps.homes.get(homeId)) return `home ${homeId} does not exist (list it before its residents)`;
    if (!deps.homes.getResident(resident.id)) {
      deps.homes.addResident(homeId, { ...resident, missTolerance: 1 }, deps.now);
      report.created.residents++;
    }
    return undefined;
  }
  if ('device' in line) {
    if (!deps.homes.get(line.device.homeId))
      return `home ${line.device.homeId} does not exist (list it before its devices)`;
    if (!deps.devices.get(line.device.id)) {
      deps.devices.create(line.device, deps.now);
      report.created.devices++;
    }
    return undefined;
  }
  const { homeId, reason, startsAt, endsAt, note } = line.absence;
  if (!deps.homes.get(homeId)) return `home ${homeId} does not exist (list it before its absences)`;
  const from = Date.parse(startsAt);
  const to = Date.parse(endsAt);
  if (!deps.absences.overlapping(homeId, from, to).some((a) => a.startsAt === from && a.endsAt === to)) {
    deps.absences.create(homeId, { reason, startsAt, endsAt, ...(note !== undefined && { note }) }, 'import', deps.now);
    report.created.absences++;
  }
  return undefined;
}

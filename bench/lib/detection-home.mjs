// One home of the detection benchmark: its history generated (device-sim), imported into a fresh
// in-memory hub database by the hub's own import, and every default rule replayed over it by the
// hub's BacktestRunner, as POST /api/rules/:id/backtest does (baselines as they were each day,
// registered absences respected).
import { homeHistory } from '../../device-sim/dist/history.js';
import {
  BacktestRunner,
  DEFAULT_RULES,
  INCIDENT_ROLES,
  RULE_CATALOGUE,
  RuleRegistry,
} from '../../hub/dist/engine/index.js';
import { importHistory } from '../../hub/dist/history/index.js';
import {
  AbsenceRepository,
  AlertRepository,
  DeviceRepository,
  EventJournal,
  HomeRepository,
  RuleRepository,
  openDatabase,
} from '../../hub/dist/store/index.js';
import { FOUND_WITHIN_MS } from './detection-population.mjs';

const DAY = 86_400_000;
/** Incidents after which nothing is an ordinary day again: the resident cannot move, or is gone. */
const LASTING = new Set(['fall', 'no wake', 'vanish']);

/** The rules replayed: every default rule with an evaluator (`checkin.missed` is judged from schedules, not events). */
export const REPLAYED_RULES = DEFAULT_RULES.filter((r) => RULE_CATALOGUE[r.type].evaluates).map((r) => r.id);

/**
 * Replays home `index` of the population `options` from `from` (after the warm-up) until the
 * end, or until 72 h after an incident the resident does not come back from. Returns the
 * generator's truth, the span replayed and every alert each rule would have raised. With
 * `spared` (device ids), the same home with those devices never dying.
 */
export async function replayHome(options, index, from, spared = []) {
  const { spec, lines, truth } = homeHistory({ ...options, sparedDevices: spared }, index);
  const db = openDatabase(':memory:');
  try {
    const stores = {
      homes: new HomeRepository(db),
      devices: new DeviceRepository(db),
      absences: new AbsenceRepository(db),
      journal: new EventJournal(db),
    };
    async function* text() {
      for (const line of lines) yield JSON.stringify(line);
    }
    const report = await importHistory(text(), { ...stores, now: options.end + DAY });
    if (report.rejected > 0) throw new Error(`${spec.homeId}: ${JSON.stringify(report.problems)}`);
    const lasting = truth.filter((t) => t.injected && LASTING.has(t.kind)).map((t) => t.startsAt + FOUND_WITHIN_MS);
    const to = Math.min(options.end, ...lasting);
    const rules = new RuleRepository(db);
    const registry = new RuleRegistry(rules);
    registry.seedDefaults(options.end);
    const runner = new BacktestRunner({ ...stores, alerts: new AlertRepository(db), rules, dbFile: ':memory:' }, 0);
    const alerts = [];
    for (const id of REPLAYED_RULES) {
      const rule = registry.get(id);
      const result = await runner.run(rule, { from, to });
      for (const a of result.live.alerts) {
        const clearedAt = a.clearedAt === null ? null : Date.parse(a.clearedAt);
        const role = INCIDENT_ROLES[rule.type];
        alerts.push({ rule: id, role, openedAt: Date.parse(a.openedAt), clearedAt, message: a.message.en });
      }
    }
    const sensors = spec.devices.filter((d) => d.role === 'motion' || d.role === 'door');
    const absences = lines.flatMap((l) =>
      'absence' in l ? [{ from: Date.parse(l.absence.startsAt), until: Date.parse(l.absence.endsAt) }] : [],
    );
    return {
      index,
      spared,
      homeId: spec.homeId,
      layout: spec.layout,
      // What the generator knows of the resident and the devices, for checking findings (never given to the rules).
      usualWakeMinute: Math.round(spec.persona.wakeAt / 60_000),
      sensorsCheckIn: sensors.every((d) => d.heartbeatEveryMs !== undefined),
      absences,
      from,
      to,
      events: report.events,
      truth,
      alerts,
    };
  } finally {
    db.close();
  }
}

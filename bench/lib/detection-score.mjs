// Scores the detection benchmark (issue 18): what the replayed alerts of every home amount to, judged
// against the generator's own record of what happened (its truth, which the rules never see).
// Incidents are what the hub's own incident fold (hub/src/alerts/incident.ts) makes of each home's
// alerts, as the network would have been told of them.
import { incidentsOf } from '../../hub/dist/alerts/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONTH = 30 * DAY;

/**
 * Rules that report a measured condition rather than judge the resident: a hot or cold room and a
 * low battery are true whenever they fire here (the room was that hot, the battery that low), so
 * they are counted apart and never as false alerts.
 */
export const CONDITION_RULES = new Set(['environment.heat', 'environment.cold', 'device.battery']);

/**
 * While an incident lasts, and for a day after it is over, the home's alerts are the incident's,
 * not false ones: from its start until it is over plus a day, or until the replay ends.
 */
const windowOf = (truth, home) => ({
  from: truth.startsAt,
  until: truth.endsAt === null ? home.to : Math.min(home.to, truth.endsAt + DAY),
});

/** The alerts that judge the resident or a device, in the order they opened. */
const judgedOf = (alerts) => alerts.filter((a) => !CONDITION_RULES.has(a.rule)).sort((a, b) => a.openedAt - b.openedAt);

/** An alert tells the network of an incident: a dead sensor only by device.offline, a resident in trouble by any judged rule. */
const tells = (truth, rule) => (truth.kind === 'dead sensor' ? rule === 'device.offline' : !CONDITION_RULES.has(rule));

/** The row an incident is reported in. */
export function kindOf(truth) {
  if (truth.kind === 'fall') return truth.atNight ? 'fall (night)' : 'fall (day)';
  if (truth.kind === 'dead sensor' && !truth.injected) return 'dead sensor (battery ran flat)';
  return truth.kind;
}

const quantile = (sorted, q) =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const hours = (ms) => (ms === null ? null : Math.round((ms / HOUR) * 10) / 10);
const perMonth = (count, months) => (months > 0 ? Math.round((count / months) * 100) / 100 : null);

/** The benchmark's figures from every home's replay (`replayHome` results) and the rules replayed. */
export function score(homes, rules) {
  let ordinaryMs = 0;
  let replayedMs = 0;
  const falseByRule = Object.fromEntries(rules.filter((r) => !CONDITION_RULES.has(r)).map((r) => [r, 0]));
  const conditions = Object.fromEntries(rules.filter((r) => CONDITION_RULES.has(r)).map((r) => [r, 0]));
  let falseIncidents = 0;
  const falseIncidentsByLead = {};
  const incidents = [];
  const findings = { offlineBySensor: {}, wakeLateBeforeRealWake: 0, wakeLateFalse: 0, duringRegisteredAbsence: {} };

  for (const home of homes) {
    const windows = home.truth.map((t) => ({ truth: t, ...windowOf(t, home) })).filter((w) => w.from < home.to);
    // An incident that began before the replay (a battery flat during the warm-up) keeps its days out
    // of the ordinary ones, but is not scored: the replayed rules never saw it begin.
    const scored = windows.filter((w) => w.truth.startsAt >= home.from);
    replayedMs += home.to - home.from;
    ordinaryMs += home.to - home.from - covered(windows, home.from, home.to);
    const inWindow = (at) => windows.find((w) => at >= w.from && at < w.until);
    const judged = judgedOf(home.alerts);
    for (const a of home.alerts) {
      if (CONDITION_RULES.has(a.rule)) conditions[a.rule]++;
      else if (!inWindow(a.openedAt)) {
        falseByRule[a.rule]++;
        noteFinding(findings, home, a);
      }
    }
    const groups = incidentsOf(judged);
    for (const g of groups.filter((g) => !inWindow(g.openedAt))) {
      falseIncidents++;
      falseIncidentsByLead[g.lead] = (falseIncidentsByLead[g.lead] ?? 0) + 1;
    }
    for (const w of scored) {
      const within = (at) => at >= w.from && at < w.until;
      const told = judged.filter((a) => within(a.openedAt));
      const first = told.find((a) => tells(w.truth, a.rule));
      const working = w.truth.kind === 'dead sensor' ? home.withSensorWorking?.[w.truth.deviceId] : undefined;
      const incidentsWithin = (alerts) => incidentsOf(alerts).filter((g) => within(g.openedAt)).length;
      incidents.push({
        kind: kindOf(w.truth),
        detectedAfter: first ? first.openedAt - w.truth.startsAt : null,
        firstRule: first?.rule ?? null,
        alerts: told.length,
        byRule: told.map((a) => a.rule),
        groups: incidentsWithin(judged),
        // A dead sensor's days go on to the end of the replay: the home's ordinary incidents in them, and
        // any other incident's, are not the death's. The same home with the sensor working tells which.
        caused: working && incidentsWithin(judged) - incidentsWithin(judgedOf(working)),
      });
    }
  }

  const months = ordinaryMs / MONTH;
  const falseAlerts = Object.values(falseByRule).reduce((a, b) => a + b, 0);
  return {
    residentMonths: { replayed: Math.round((replayedMs / MONTH) * 10) / 10, ordinary: Math.round(months * 10) / 10 },
    falseAlertsPerResidentMonth: perMonth(falseAlerts, months),
    falseIncidentsPerResidentMonth: perMonth(falseIncidents, months),
    falseAlertsByRule: Object.fromEntries(
      Object.entries(falseByRule).map(([rule, n]) => [rule, { count: n, perResidentMonth: perMonth(n, months) }]),
    ),
    falseIncidentsByLead: Object.fromEntries(
      Object.entries(falseIncidentsByLead).map(([rule, n]) => [
        rule,
        { count: n, perResidentMonth: perMonth(n, months) },
      ]),
    ),
    conditionReports: conditions,
    incidents: summarizeIncidents(incidents),
    findings,
  };
}

/** Per incident kind: how many, how many found, how fast, by what, and how many alerts and incidents each made. */
function summarizeIncidents(incidents) {
  const kinds = [...new Set(incidents.map((i) => i.kind))].sort();
  return kinds.map((kind) => {
    const these = incidents.filter((i) => i.kind === kind);
    const found = these.filter((i) => i.detectedAfter !== null);
    const times = found.map((i) => i.detectedAfter).sort((a, b) => a - b);
    const firstRules = {};
    for (const i of found) firstRules[i.firstRule] = (firstRules[i.firstRule] ?? 0) + 1;
    const alertsByRule = {};
    for (const rule of these.flatMap((i) => i.byRule)) alertsByRule[rule] = (alertsByRule[rule] ?? 0) + 1;
    const mean = (key) => Math.round((these.reduce((s, i) => s + i[key], 0) / these.length) * 10) / 10;
    const compared = these.every((i) => i.caused !== undefined);
    return {
      kind,
      count: these.length,
      detected: found.length,
      detectionRate: Math.round((found.length / these.length) * 1000) / 10,
      timeToDetectHours: { median: hours(quantile(times, 0.5)), p90: hours(quantile(times, 0.9)) },
      alertsPerIncident: mean('alerts'),
      incidentsPerIncident: mean('groups'),
      /** Of those, the incidents the event itself caused: less those of the same home without it (dead sensors only). */
      incidentsCausedPerIncident: compared ? mean('caused') : null,
      alertsPerIncidentByRule: Object.fromEntries(
        Object.entries(alertsByRule).map(([rule, n]) => [rule, Math.round((n / these.length) * 10) / 10]),
      ),
      firstRules,
    };
  });
}

/**
 * What the issue's findings need to be checked against: which sensors device.offline calls
 * offline on ordinary days (and whether they check in), how many false wake.late alerts
 * learned a "usual" time an hour or more before the resident really gets up, and which rules
 * alert while a registered absence is on.
 */
function noteFinding(findings, home, alert) {
  if (home.absences.some((a) => alert.openedAt >= a.from && alert.openedAt < a.until))
    findings.duringRegisteredAbsence[alert.rule] = (findings.duringRegisteredAbsence[alert.rule] ?? 0) + 1;
  if (alert.rule === 'device.offline') {
    for (const id of alert.message.match(/\(([^)]+)\)/)?.[1].split(', ') ?? []) {
      const key = `${id.replace(`${home.homeId}-`, '')}${home.sensorsCheckIn ? ' (checks in)' : ' (changes only)'}`;
      findings.offlineBySensor[key] = (findings.offlineBySensor[key] ?? 0) + 1;
    }
  }
  if (alert.rule === 'wake.late') {
    findings.wakeLateFalse++;
    const [h, m] = (alert.message.match(/by (\d+):(\d+);/) ?? []).slice(1).map(Number);
    if (h !== undefined && m !== undefined && h * 60 + m <= home.usualWakeMinute - 60)
      findings.wakeLateBeforeRealWake++;
  }
}

/** How much of [from, to) the windows cover together. */
function covered(windows, from, to) {
  let total = 0;
  let reached = from;
  for (const w of [...windows].sort((a, b) => a.from - b.from)) {
    const start = Math.max(w.from, reached);
    const end = Math.min(w.until, to);
    if (end > start) total += end - start;
    reached = Math.max(reached, end);
  }
  return total;
}

import { ALERT_OUTCOMES, type AlertOutcome, type MonthlyReport, type Severity } from '@mimamori/contract';
import type { Db } from '../store/index.js';
import { atLocalMinute } from '../time/local-time.js';

/** Outcomes where nobody needed help: what makes a rule's false-alarm share. */
const NOT_NEEDED: ReadonlySet<AlertOutcome> = new Set(['fine', 'asleep', 'out', 'device_fault', 'false_alarm_other']);
const DAY = 86_400_000;

/** The instants a local calendar month starts and ends at. */
export function monthBounds(month: string, timezone: string): { from: number; to: number } {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  // Noon UTC falls on the same calendar date in every zone within ±12 h.
  return {
    from: atLocalMinute(Date.UTC(year, monthNumber - 1, 1, 12), timezone, 0),
    to: atLocalMinute(Date.UTC(year, monthNumber, 1, 12), timezone, 0),
  };
}

/** Median and 90th percentile (nearest rank) in minutes. */
export function spread(ms: readonly number[]): { count: number; median: number | null; p90: number | null } {
  if (ms.length === 0) return { count: 0, median: null, p90: null };
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (index: number) => sorted[Math.max(0, Math.min(sorted.length - 1, index))] ?? 0;
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? at(Math.floor(middle)) : (at(middle - 1) + at(middle)) / 2;
  return {
    count: sorted.length,
    median: round(median / 60_000),
    p90: round(at(Math.ceil(0.9 * sorted.length) - 1) / 60_000),
  };
}
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The month's report from stored facts: alerts opened in the month (by rule and severity,
 * their response times and outcomes), the month's scheduled check-ins, and absences.
 */
export function monthlyReport(db: Db, month: string, timezone: string): MonthlyReport {
  const { from, to } = monthBounds(month, timezone);
  const alerts = db
    .prepare(
      'SELECT rule, severity, status, opened_at, acknowledged_at, resolved_at, outcome FROM alerts WHERE opened_at >= ? AND opened_at < ?',
    )
    .all(from, to) as {
    rule: string;
    severity: Severity;
    status: string;
    opened_at: number;
    acknowledged_at: number | null;
    resolved_at: number | null;
    outcome: AlertOutcome | null;
  }[];

  const byRule = new Map<string, number>();
  const outcomes = new Map<string, MonthlyReport['outcomes'][number]>();
  for (const a of alerts) {
    byRule.set(`${a.rule}\u0000${a.severity}`, (byRule.get(`${a.rule}\u0000${a.severity}`) ?? 0) + 1);
    const entry = outcomes.get(a.rule) ?? {
      rule: a.rule,
      resolved: 0,
      autoResolved: 0,
      byOutcome: Object.fromEntries(ALERT_OUTCOMES.map((o) => [o, 0])) as Record<AlertOutcome, number>,
      falseAlarmShare: null,
    };
    if (a.status === 'resolved' && a.outcome) {
      entry.resolved++;
      entry.byOutcome[a.outcome]++;
    } else if (a.status === 'auto_resolved') entry.autoResolved++;
    outcomes.set(a.rule, entry);
  }
  for (const entry of outcomes.values()) {
    const notNeeded = ALERT_OUTCOMES.filter((o) => NOT_NEEDED.has(o)).reduce((sum, o) => sum + entry.byOutcome[o], 0);
    entry.falseAlarmShare = entry.resolved === 0 ? null : round((notNeeded / entry.resolved) * 1000) / 1000;
  }

  const checkins = Object.fromEntries(
    (
      db
        .prepare('SELECT outcome, COUNT(*) AS n FROM checkins WHERE due_at >= ? AND due_at < ? GROUP BY outcome')
        .all(from, to) as { outcome: string; n: number }[]
    ).map((r) => [r.outcome, r.n]),
  ) as Record<string, number>;
  const count = (outcome: string) => checkins[outcome] ?? 0;
  const reached = count('answered') + count('satisfied') + count('missed');

  const absences = db
    .prepare('SELECT reason, starts_at, ends_at FROM absences WHERE starts_at < ? AND ends_at > ?')
    .all(to, from) as { reason: string; starts_at: number; ends_at: number }[];
  const byReason: Record<string, number> = {};
  let absentMs = 0;
  for (const a of absences) {
    byReason[a.reason] = (byReason[a.reason] ?? 0) + 1;
    absentMs += Math.min(a.ends_at, to) - Math.max(a.starts_at, from);
  }

  return {
    month,
    timezone,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    alerts: {
      total: alerts.length,
      byRule: [...byRule]
        .map(([key, n]) => {
          const [rule, severity] = key.split('\u0000') as [string, Severity];
          return { rule, severity, count: n };
        })
        .sort((a, b) => a.rule.localeCompare(b.rule) || a.severity.localeCompare(b.severity)),
    },
    response: {
      toAcknowledge: spread(
        alerts.flatMap((a) => (a.acknowledged_at === null ? [] : [a.acknowledged_at - a.opened_at])),
      ),
      toResolve: spread(
        alerts.flatMap((a) => (a.status === 'resolved' && a.resolved_at !== null ? [a.resolved_at - a.opened_at] : [])),
      ),
    },
    outcomes: [...outcomes.values()].sort((a, b) => a.rule.localeCompare(b.rule)),
    checkins: {
      scheduled: Object.values(checkins).reduce((sum, n) => sum + n, 0) - count('pending'),
      answered: count('answered'),
      satisfied: count('satisfied'),
      missed: count('missed'),
      notAsked: count('absent') + count('paused') + count('not_asked'),
      answerRate: reached === 0 ? null : round(((count('answered') + count('satisfied')) / reached) * 1000) / 1000,
    },
    absences: { count: absences.length, byReason, days: round(absentMs / DAY) },
  };
}

/**
 * The report as CSV for a spreadsheet: one row per figure (section, item, value), UTF-8 with a
 * BOM so that Excel in a Japanese locale opens it without mojibake.
 */
export function monthlyReportCsv(report: MonthlyReport): string {
  const rows: (string | number | null)[][] = [['section', 'item', 'value']];
  rows.push(['month', report.month, report.timezone], ['alerts', 'total', report.alerts.total]);
  for (const r of report.alerts.byRule) rows.push(['alerts', `${r.rule} (${r.severity})`, r.count]);
  for (const [name, m] of Object.entries(report.response))
    rows.push(
      ['response', `${name} count`, m.count],
      ['response', `${name} median minutes`, m.median],
      ['response', `${name} p90 minutes`, m.p90],
    );
  for (const o of report.outcomes) {
    rows.push(['outcomes', `${o.rule} resolved`, o.resolved], ['outcomes', `${o.rule} auto_resolved`, o.autoResolved]);
    for (const [outcome, n] of Object.entries(o.byOutcome)) rows.push(['outcomes', `${o.rule} ${outcome}`, n]);
    rows.push(['outcomes', `${o.rule} false_alarm_share`, o.falseAlarmShare]);
  }
  for (const [name, n] of Object.entries(report.checkins)) rows.push(['checkins', name, n]);
  rows.push(['absences', 'count', report.absences.count], ['absences', 'days', report.absences.days]);
  for (const [reason, n] of Object.entries(report.absences.byReason)) rows.push(['absences', reason, n]);
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const csvCell = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  // Quote what needs it, and defuse cells a spreadsheet would run as a formula.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replaceAll('"', '""')}"` : safe;
};

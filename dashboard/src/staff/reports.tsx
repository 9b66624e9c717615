import { useState } from 'preact/hooks';
import { call } from '../api.js';
import './words.js';
import { Loaded, useLoad, valueOf } from '../components/common.js';
import { lang, t } from '../i18n/index.js';
import { browserZone, localDate } from '../time.js';
import { useRuleNames } from './rule-names.js';

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);
const minutes = (value: number | null) => (value === null ? '—' : String(value));

/** The monthly report for the evaluation committee, with a CSV download of the same figures. */
export function ReportsPage() {
  const [month, setMonth] = useState(localDate(browserZone).slice(0, 7));
  const report = useLoad(() => call('GET /api/reports/monthly', { query: { month } }), [month]);
  const ruleName = useRuleNames();
  return (
    <section class="stack">
      <h1>{t('report.title')}</h1>
      <div class="row">
        <label class="inline">
          {t('report.month')} <input type="month" value={month} onInput={(e) => valueOf(e) && setMonth(valueOf(e))} />
        </label>
        <a class="button-link" href={`/api/reports/monthly.csv?month=${month}`} download>
          {t('report.csv')}
        </a>
      </div>
      <Loaded data={report.data} error={report.error}>
        {(r) => {
          const max = Math.max(1, ...r.alerts.byRule.map((row) => row.count));
          return (
            <>
              <h2>{t('report.alerts', { count: r.alerts.total })}</h2>
              <table class="compact">
                <thead>
                  <tr>
                    <th scope="col">{t('report.rule')}</th>
                    <th scope="col">{t('rules.severity')}</th>
                    <th scope="col">{t('report.count')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.alerts.byRule.map((row) => (
                    <tr key={`${row.rule}-${row.severity}`}>
                      <td>{ruleName(row.rule)}</td>
                      <td>{t(`severity.${row.severity}`)}</td>
                      <td class="bar-cell">
                        <span class="bar" style={{ width: `${(row.count / max) * 100}%` }} /> {row.count}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>{t('report.response')}</h2>
              <p>
                {t('report.toAck', {
                  median: minutes(r.response.toAcknowledge.median),
                  p90: minutes(r.response.toAcknowledge.p90),
                  count: r.response.toAcknowledge.count,
                })}
                <br />
                {t('report.toResolve', {
                  median: minutes(r.response.toResolve.median),
                  p90: minutes(r.response.toResolve.p90),
                  count: r.response.toResolve.count,
                })}
              </p>
              <h2>{t('report.outcomes')}</h2>
              <table class="compact">
                <thead>
                  <tr>
                    <th scope="col">{t('report.rule')}</th>
                    <th scope="col">{t('report.resolved')}</th>
                    <th scope="col">{t('report.autoResolved')}</th>
                    <th scope="col">{t('report.falseAlarm')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.outcomes.map((o) => (
                    <tr key={o.rule}>
                      <td>{ruleName(o.rule)}</td>
                      <td>{o.resolved}</td>
                      <td>{o.autoResolved}</td>
                      <td>{percent(o.falseAlarmShare)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>{t('report.checkins')}</h2>
              <p>{t('report.checkinSummary', { ...r.checkins, rate: percent(r.checkins.answerRate) })}</p>
              <h2>{t('report.absences')}</h2>
              <p>
                {t('report.absenceSummary', { count: r.absences.count, days: r.absences.days.toLocaleString(lang()) })}
              </p>
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

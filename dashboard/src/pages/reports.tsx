import { useEffect, useState } from 'preact/hooks';
import type { MonthlyReport } from '@mimamori/contract';
import { call } from '../api.js';
import { errorText } from '../problems.js';
import { t } from '../i18n.js';

/** The monthly report for the evaluation committee, with a CSV download of the same figures. */
export function ReportsPage() {
  const [month, setMonth] = useState(new Date().toISOString().slice(0, 7));
  const [report, setReport] = useState<MonthlyReport | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    setReport(undefined);
    call('GET /api/reports/monthly', { query: { month } }).then(setReport, (e: unknown) => setError(errorText(e)));
  }, [month]);
  const max = Math.max(1, ...(report?.alerts.byRule.map((r) => r.count) ?? []));
  return (
    <section class="stack">
      <h1>{t('reports')}</h1>
      <div class="row">
        <label class="inline">
          {t('month')}{' '}
          <input type="month" value={month} onInput={(e) => setMonth((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <a class="button-link" href={`/api/reports/monthly.csv?month=${month}`} download>
          {t('downloadCsv')}
        </a>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {report && (
        <>
          <h2>アラート（{report.alerts.total}件）</h2>
          <table class="compact">
            <tbody>
              {report.alerts.byRule.map((r) => (
                <tr key={`${r.rule}-${r.severity}`}>
                  <td>{r.rule}</td>
                  <td>{r.severity}</td>
                  <td class="bar-cell">
                    <span class="bar" style={{ width: `${(r.count / max) * 100}%` }} /> {r.count}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>対応時間（分）</h2>
          <p>
            向かいますまで: 中央値 {report.response.toAcknowledge.median ?? '—'} / 90%{' '}
            {report.response.toAcknowledge.p90 ?? '—'}（{report.response.toAcknowledge.count}件）
            <br />
            解決まで: 中央値 {report.response.toResolve.median ?? '—'} / 90% {report.response.toResolve.p90 ?? '—'}（
            {report.response.toResolve.count}件）
          </p>
          <h2>結果と誤報の割合</h2>
          <table class="compact">
            <thead>
              <tr>
                <th>ルール</th>
                <th>解決</th>
                <th>自動解除</th>
                <th>誤報の割合</th>
              </tr>
            </thead>
            <tbody>
              {report.outcomes.map((o) => (
                <tr key={o.rule}>
                  <td>{o.rule}</td>
                  <td>{o.resolved}</td>
                  <td>{o.autoResolved}</td>
                  <td>{o.falseAlarmShare === null ? '—' : `${Math.round(o.falseAlarmShare * 100)}%`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>見守りの呼びかけ</h2>
          <p>
            予定 {report.checkins.scheduled} / 応答 {report.checkins.answered} / 代替で確認 {report.checkins.satisfied}{' '}
            / 応答なし {report.checkins.missed} / 呼びかけなし {report.checkins.notAsked}
            （応答率 {report.checkins.answerRate === null ? '—' : `${Math.round(report.checkins.answerRate * 100)}%`}）
          </p>
          <h2>{t('absences')}</h2>
          <p>
            {report.absences.count}件、延べ {report.absences.days} 日
          </p>
        </>
      )}
    </section>
  );
}

import type { BacktestAlert, BacktestResult, Home, Rule } from '@mimamori/contract';
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.js';
import { ErrorNote, useLoad, valueOf } from '../components/common.js';
import { lang, t } from '../i18n/index.js';
import { browserZone, day, instantOf, localDate, localParts, when } from '../time.js';
import { Chart } from './chart.js';

const DAY = 86_400_000;

/**
 * Trying a rule's proposed settings on the past (issue 19 item 6): the range defaults to the last
 * four weeks within the history the hub holds, and the result says which homes and which alerts
 * (time, message), live settings against the proposal, not only counts.
 */
export function BacktestPanel({
  rule,
  homes,
  proposal,
  labelOf,
}: {
  rule: Rule;
  homes: Home[];
  proposal: () => Record<string, unknown>;
  labelOf: (field: string) => string | undefined;
}) {
  const span = useLoad(() => call('GET /api/history-span'), []);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState(localDate(browserZone));
  useEffect(() => {
    if (!span.data) return;
    const fourWeeks = Date.now() - 27 * DAY;
    const start = span.data.from ? Math.max(Date.parse(span.data.from), fourWeeks) : fourWeeks;
    setFrom(localParts(start, browserZone).date);
  }, [span.data]);
  const [result, setResult] = useState<BacktestResult | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [running, setRunning] = useState(false);
  const run = async () => {
    setRunning(true);
    setError(undefined);
    try {
      setResult(
        await call('POST /api/rules/:id/backtest', {
          params: { id: rule.id },
          body: {
            from: instantOf(from, '00:00', browserZone),
            to: instantOf(to, '23:59', browserZone),
            params: proposal(),
          },
        }),
      );
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
    }
  };
  return (
    <fieldset class="backtest-panel">
      <legend>{t('rules.backtestRange')}</legend>
      {span.data?.from && <p class="muted">{t('rules.backtestHistory', { from: when(span.data.from) })}</p>}
      <div class="row">
        <label class="inline">
          {t('rules.from')} <input type="date" value={from} max={to} onInput={(e) => setFrom(valueOf(e))} />
        </label>
        <label class="inline">
          {t('rules.to')} <input type="date" value={to} min={from} onInput={(e) => setTo(valueOf(e))} />
        </label>
        <button type="button" class="secondary" onClick={() => void run()} disabled={running || !from}>
          {running ? t('rules.running') : t('rules.backtest')}
        </button>
      </div>
      <ErrorNote error={error} labelOf={labelOf} />
      {result && <BacktestView result={result} homes={homes} />}
    </fieldset>
  );
}

function BacktestView({ result, homes }: { result: BacktestResult; homes: Home[] }) {
  const names = new Map(homes.map((h) => [h.id, h]));
  // Every day of the period, so quiet days show as zero rather than vanish from the chart.
  const dates: string[] = [];
  for (let at = Date.parse(result.from); at < Date.parse(result.to); at += DAY)
    dates.push(localParts(at, browserZone).date);
  const count = (run: BacktestResult['live'] | null, date: string) =>
    run?.perDay.find((d) => d.date === date)?.count ?? 0;
  const series = [
    { label: t('rules.live'), values: dates.map((d) => count(result.live, d)), color: '#555' },
    ...(result.proposal
      ? [{ label: t('rules.proposal'), values: dates.map((d) => count(result.proposal, d)), color: '#a4161a' }]
      : []),
  ];
  const perHome = [...new Set([...result.live.perHome, ...(result.proposal?.perHome ?? [])].map((h) => h.homeId))];
  const homeCount = (run: BacktestResult['live'] | null, id: string) =>
    run?.perHome.find((h) => h.homeId === id)?.count ?? 0;
  return (
    <div class="backtest stack" data-testid="backtest">
      <p role="status">
        {t('rules.summary', {
          live: result.live.total,
          proposal: result.proposal?.total ?? '—',
          homes: result.homes,
          events: result.events.toLocaleString(lang()),
        })}
      </p>
      <p>{t('rules.incidents', { live: result.live.incidents, proposal: result.proposal?.incidents ?? '—' })}</p>
      {dates.length > 0 && (
        <Chart x={dates.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000)} series={series} label={t('rules.perDay')} />
      )}
      <h4>{t('rules.perHome')}</h4>
      <table class="compact">
        <thead>
          <tr>
            <th scope="col">{t('board.home')}</th>
            <th scope="col">{t('rules.live')}</th>
            <th scope="col">{t('rules.proposal')}</th>
          </tr>
        </thead>
        <tbody>
          {perHome.map((id) => (
            <tr key={id}>
              <td>{names.get(id)?.name ?? id}</td>
              <td>{homeCount(result.live, id)}</td>
              <td>{result.proposal ? homeCount(result.proposal, id) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.difference ? (
        <>
          <AlertList title={t('rules.onlyLive')} alerts={result.difference.onlyLive} names={names} />
          <AlertList title={t('rules.onlyProposal')} alerts={result.difference.onlyProposal} names={names} />
        </>
      ) : (
        <AlertList title={t('rules.alerts')} alerts={result.live.alerts} names={names} />
      )}
      <h4>{t('rules.perDay')}</h4>
      <table class="compact">
        <thead>
          <tr>
            <th scope="col">{t('rules.day')}</th>
            <th scope="col">{t('rules.live')}</th>
            <th scope="col">{t('rules.proposal')}</th>
          </tr>
        </thead>
        <tbody>
          {dates.map((d) => (
            <tr key={d}>
              <td>{day(instantOf(d, '12:00', browserZone))}</td>
              <td>{count(result.live, d)}</td>
              <td>{result.proposal ? count(result.proposal, d) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AlertList({ title, alerts, names }: { title: string; alerts: BacktestAlert[]; names: Map<string, Home> }) {
  return (
    <section>
      <h4>
        {title}（{alerts.length}）
      </h4>
      {alerts.length === 0 ? (
        <p class="muted">{t('rules.noAlerts')}</p>
      ) : (
        <table class="compact">
          <thead>
            <tr>
              <th scope="col">{t('rules.at')}</th>
              <th scope="col">{t('board.home')}</th>
              <th scope="col">{t('rules.message')}</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => {
              const home = names.get(a.homeId);
              return (
                <tr key={`${a.homeId}-${a.openedAt}`}>
                  <td>{when(a.openedAt, home?.timezone)}</td>
                  <td>{home?.name ?? a.homeId}</td>
                  <td>{a.message[lang()]}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

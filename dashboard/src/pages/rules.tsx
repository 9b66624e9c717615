import { useEffect, useState } from 'preact/hooks';
import type { BacktestResult, Rule, RuleVersion } from '@mimamori/contract';
import { call } from '../api.js';
import { errorText } from '../problems.js';
import { t, when } from '../i18n.js';
import { Chart } from './chart.js';

const DAY = 86_400_000;

/** The JSON Schema the hub publishes for a rule type's parameters (GET /api/rule-types). */
interface ParamsSchema {
  properties?: Record<string, { description?: string; default?: unknown }>;
}

/** Rules: the list, and one rule's parameters, a backtest of a proposal against the live version, publishing, history. */
export function RulesPage({ ruleId }: { ruleId: string | undefined }) {
  const [rules, setRules] = useState<Rule[]>([]);
  useEffect(() => void call('GET /api/rules').then((r) => setRules(r.items)), [ruleId]);
  const selected = rules.find((r) => r.id === ruleId);
  return (
    <section class="split">
      <nav class="rule-list">
        <h1>{t('rules')}</h1>
        <ul class="plain">
          {rules.map((r) => (
            <li key={r.id}>
              <a href={`#/rules/${encodeURIComponent(r.id)}`} class={r.id === ruleId ? 'current' : ''}>
                {r.id}
              </a>{' '}
              {r.enabled ? '' : '（停止中）'}
            </li>
          ))}
        </ul>
      </nav>
      {selected && (
        <RuleEditor
          key={selected.id}
          rule={selected}
          onSaved={(saved) => setRules((all) => all.map((r) => (r.id === saved.id ? saved : r)))}
        />
      )}
    </section>
  );
}

function RuleEditor({ rule, onSaved }: { rule: Rule; onSaved: (rule: Rule) => void }) {
  const [params, setParams] = useState(JSON.stringify(rule.params, null, 2));
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState('');
  const [saved, setSaved] = useState('');
  const [result, setResult] = useState<BacktestResult | undefined>(undefined);
  const [running, setRunning] = useState(false);
  const [versions, setVersions] = useState<RuleVersion[]>([]);
  const [from, setFrom] = useState(new Date(Date.now() - 28 * DAY).toISOString().slice(0, 10));
  const [to, setTo] = useState(new Date().toISOString().slice(0, 10));
  const [schema, setSchema] = useState<ParamsSchema | undefined>(undefined);
  useEffect(() => {
    void call('GET /api/rule-types').then((r) =>
      setSchema(r.items.find((i) => i.type === rule.type)?.params as ParamsSchema | undefined),
    );
  }, [rule.type]);
  useEffect(
    () => void call('GET /api/rules/:id/versions', { params: { id: rule.id } }).then((v) => setVersions(v.items)),
    [rule.id, rule.version],
  );

  const parsedParams = (): Record<string, unknown> | undefined => {
    try {
      return JSON.parse(params) as Record<string, unknown>;
    } catch {
      setProblem('params: JSON として読めません');
      return undefined;
    }
  };
  const backtest = async () => {
    const proposal = parsedParams();
    if (!proposal) return;
    setProblem('');
    setRunning(true);
    try {
      setResult(
        await call('POST /api/rules/:id/backtest', {
          params: { id: rule.id },
          body: {
            from: new Date(from).toISOString(),
            to: new Date(Date.parse(to) + DAY).toISOString(),
            params: proposal,
          },
        }),
      );
    } catch (e) {
      setProblem(errorText(e));
    } finally {
      setRunning(false);
    }
  };
  const publish = async (event: Event) => {
    event.preventDefault();
    const proposal = parsedParams();
    if (!proposal) return;
    try {
      const updated = await call('PATCH /api/rules/:id', {
        params: { id: rule.id },
        body: { params: proposal, reason },
      });
      setProblem('');
      setSaved(`v${updated.version}`);
      onSaved(updated);
    } catch (e) {
      setProblem(errorText(e));
    }
  };

  return (
    <div class="stack rule-editor">
      <h2>
        {rule.id}（{rule.type}）v{rule.version}
      </h2>
      <form class="stack" onSubmit={publish}>
        <label>
          {t('params')}
          <textarea
            name="params"
            rows={8}
            class="code"
            value={params}
            onInput={(e) => setParams((e.currentTarget as HTMLTextAreaElement).value)}
          />
        </label>
        {schema?.properties && (
          <ul class="plain hints">
            {Object.entries(schema.properties).map(([name, p]) => (
              <li key={name}>
                <code>{name}</code>
                {p.default === undefined ? '' : `（既定値 ${JSON.stringify(p.default)}）`}
                {p.description ? `: ${p.description}` : ''}
              </li>
            ))}
          </ul>
        )}
        <div class="row">
          <label class="inline">
            {t('from')}{' '}
            <input type="date" value={from} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <label class="inline">
            {t('to')}{' '}
            <input type="date" value={to} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <button type="button" class="secondary" onClick={backtest} disabled={running}>
            {running ? t('loading') : t('backtest')}
          </button>
        </div>
        {result && <BacktestView result={result} />}
        <label>
          {t('reason')}
          <input
            name="reason"
            value={reason}
            onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)}
            required
            minLength={3}
          />
        </label>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        {saved && (
          <p class="calm" role="status">
            {saved}
          </p>
        )}
        <button class="primary" type="submit">
          {t('publish')}
        </button>
      </form>
      <h3>{t('versions')}</h3>
      <ul class="plain versions">
        {versions.map((v) => (
          <li key={v.version}>
            v{v.version} {when(v.changedAt)} {v.changedBy}: {v.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Would-be alerts per day, live against proposal, as a chart and a table. */
function BacktestView({ result }: { result: BacktestResult }) {
  // Every day of the period, so quiet days show as zero rather than vanish from the chart.
  const dates: string[] = [];
  for (let at = Date.parse(result.from); at < Date.parse(result.to); at += DAY)
    dates.push(new Date(at).toISOString().slice(0, 10));
  const count = (run: BacktestResult['live'] | null, date: string) =>
    run?.perDay.find((d) => d.date === date)?.count ?? 0;
  const x = dates.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const series = [
    { label: t('live'), values: dates.map((d) => count(result.live, d)), color: '#555' },
    ...(result.proposal
      ? [{ label: t('proposal'), values: dates.map((d) => count(result.proposal, d)), color: '#c0392b' }]
      : []),
  ];
  return (
    <div class="backtest" data-testid="backtest">
      <p>
        {t('live')}: <strong>{result.live.total}</strong> / {t('proposal')}:{' '}
        <strong>{result.proposal?.total ?? '—'}</strong>（{result.homes} homes, {result.events} events）
      </p>
      {dates.length > 0 && <Chart x={x} series={series} />}
      <table class="compact">
        <thead>
          <tr>
            <th>{t('day')}</th>
            <th>{t('live')}</th>
            <th>{t('proposal')}</th>
          </tr>
        </thead>
        <tbody>
          {dates.map((d) => (
            <tr key={d}>
              <td>{d}</td>
              <td>{count(result.live, d)}</td>
              <td>{result.proposal ? count(result.proposal, d) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

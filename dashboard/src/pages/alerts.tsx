import { useEffect, useState } from 'preact/hooks';
import type { Alert, AlertOutcome, User, WatchedHome } from '@mimamori/contract';
import { call, onAlertChanges } from '../api.js';
import { errorText } from '../problems.js';
import { lang, OUTCOME_WORDS, t, when } from '../i18n.js';
import { PushToggle } from './push.js';

const ACTIVE = new Set(['open', 'acknowledged']);
const byNewest = (a: Alert, b: Alert) => b.openedAt.localeCompare(a.openedAt);

/**
 * "My alerts": what needs someone now, in the homes I watch, newest first, updated live.
 * One big button claims an alert (向かいます); the person who has it resolves it.
 */
export function AlertsPage({ user, focus }: { user: User; focus: string | undefined }) {
  const [alerts, setAlerts] = useState<Alert[] | undefined>(undefined);
  const [homes, setHomes] = useState<Map<string, WatchedHome>>(new Map());
  const [error, setError] = useState('');
  const load = () =>
    Promise.all([
      call('GET /api/alerts', { query: { status: 'open' } }),
      call('GET /api/alerts', { query: { status: 'acknowledged' } }),
    ]).then(
      ([open, taken]) => setAlerts([...open.items, ...taken.items].sort(byNewest)),
      (e: unknown) => setError(errorText(e)),
    );
  useEffect(() => {
    void load();
    void call('GET /api/watching').then((r) => setHomes(new Map(r.items.map((h) => [h.id, h]))));
    return onAlertChanges(
      (changed) => {
        setAlerts((current) => {
          const others = (current ?? []).filter((a) => a.id !== changed.id);
          return (ACTIVE.has(changed.status) ? [changed, ...others] : others).sort(byNewest);
        });
      },
      () => void load(),
    );
  }, []);
  const replace = (changed: Alert) =>
    setAlerts((current) =>
      (current ?? []).map((a) => (a.id === changed.id ? changed : a)).filter((a) => ACTIVE.has(a.status)),
    );

  return (
    <section>
      <h1>{t('myAlerts')}</h1>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {alerts === undefined ? (
        <p class="muted">{t('loading')}</p>
      ) : alerts.length === 0 ? (
        <p class="calm">{t('noAlerts')}</p>
      ) : (
        <ul class="cards">
          {alerts.map((a) => (
            <AlertCard
              key={a.id}
              alert={a}
              home={homes.get(a.homeId)}
              user={user}
              focused={a.id === focus}
              onChange={replace}
            />
          ))}
        </ul>
      )}
      {(user.role === 'volunteer' || user.role === 'family') && <PushToggle />}
    </section>
  );
}

function AlertCard({
  alert,
  home,
  user,
  focused,
  onChange,
}: {
  alert: Alert;
  home: WatchedHome | undefined;
  user: User;
  focused: boolean;
  onChange: (a: Alert) => void;
}) {
  const [resolving, setResolving] = useState(false);
  const [error, setError] = useState('');
  const mine = alert.acknowledgedBy === user.username;
  const act = async (work: () => Promise<Alert>) => {
    try {
      setError('');
      onChange(await work());
    } catch (e) {
      setError(errorText(e));
    }
  };
  const claim = () => act(() => call('POST /api/alerts/:id/ack', { params: { id: alert.id } }));
  const resolve = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const note = String(form.get('note') ?? '').trim();
    void act(() =>
      call('POST /api/alerts/:id/resolve', {
        params: { id: alert.id },
        body: { outcome: form.get('outcome') as AlertOutcome, ...(note && { note }) },
      }),
    );
  };
  return (
    <li class={`card ${alert.severity} ${focused ? 'focused' : ''}`} data-alert={alert.id}>
      <div class="card-head">
        <span class={`tag ${alert.severity}`}>{SEVERITY[alert.severity][lang()]}</span>
        <a class="home-link" href={`#/homes/${alert.homeId}`}>
          {home?.name ?? alert.homeId}
        </a>
      </div>
      <p class="message">{alert.message[lang()]}</p>
      <p class="muted">
        {t('since')}: {when(alert.openedAt)}
      </p>
      {alert.status === 'acknowledged' && (
        <p class="taken" role="status">
          {mine ? t('youAreGoing') : `${alert.acknowledgedByName ?? alert.acknowledgedBy}${t('goingNow')}`}
        </p>
      )}
      {alert.status === 'open' && (
        <button class="primary big" onClick={claim}>
          {t('claim')}
        </button>
      )}
      {alert.status === 'acknowledged' && !resolving && (mine || user.role === 'staff' || user.role === 'admin') && (
        <button class="secondary big" onClick={() => setResolving(true)}>
          {t('resolve')}
        </button>
      )}
      {resolving && (
        <form class="stack" onSubmit={resolve}>
          <fieldset>
            <legend>{t('outcomeQuestion')}</legend>
            {(Object.keys(OUTCOME_WORDS) as AlertOutcome[]).map((outcome, i) => (
              <label class="choice" key={outcome}>
                <input type="radio" name="outcome" value={outcome} required checked={i === 0} />{' '}
                {OUTCOME_WORDS[outcome][lang()]}
              </label>
            ))}
          </fieldset>
          <label>
            {t('note')}
            <textarea name="note" rows={2} maxLength={1000} />
          </label>
          <div class="row">
            <button class="primary" type="submit">
              {t('save')}
            </button>
            <button class="link" type="button" onClick={() => setResolving(false)}>
              {t('cancel')}
            </button>
          </div>
        </form>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

const SEVERITY = {
  critical: { ja: '緊急', en: 'Urgent' },
  warning: { ja: '注意', en: 'Warning' },
  info: { ja: 'お知らせ', en: 'Info' },
} as const;

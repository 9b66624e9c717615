import { useEffect, useState } from 'preact/hooks';
import type { Alert, AlertOutcome, User, WatchedHome } from '@mimamori/contract';
import { call, onAlertChanges } from '../api.js';
import { ErrorNote } from '../components/common.js';
import { lang, t } from '../i18n/index.js';
import { OUTCOMES } from '../i18n/ja-enums.js';
import { clock, when } from '../time.js';
import { PushToggle } from './push.js';

const ACTIVE = new Set(['open', 'acknowledged']);
const byNewest = (a: Alert, b: Alert) => b.openedAt.localeCompare(a.openedAt);

/**
 * "My alerts": what needs someone now, in the homes I watch, newest first, updated live.
 * One big button claims an alert (向かいます); the person who has it resolves it.
 */
export function AlertsPage({ user, focus }: { user: User; focus?: string | undefined }) {
  const [alerts, setAlerts] = useState<Alert[] | undefined>(undefined);
  const [homes, setHomes] = useState<Map<string, WatchedHome>>(new Map());
  const [error, setError] = useState<unknown>(undefined);
  const load = () =>
    Promise.all([
      call('GET /api/alerts', { query: { status: 'open' } }),
      call('GET /api/alerts', { query: { status: 'acknowledged' } }),
    ]).then(([open, taken]) => setAlerts([...open.items, ...taken.items].sort(byNewest)), setError);
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
      <h1>{t('alerts.title')}</h1>
      <ErrorNote error={error} />
      {alerts === undefined ? (
        <p class="muted">{t('app.loading')}</p>
      ) : alerts.length === 0 ? (
        <p class="calm">{t('alerts.none')}</p>
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
  const [error, setError] = useState<unknown>(undefined);
  const mine = alert.acknowledgedBy === user.username;
  const act = async (work: () => Promise<Alert>) => {
    try {
      setError(undefined);
      onChange(await work());
    } catch (e) {
      setError(e);
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
        <span class={`tag ${alert.severity}`}>{t(`severity.${alert.severity}`)}</span>
        <a class="home-link" href={`/homes/${alert.homeId}`}>
          {home?.name ?? alert.homeId}
        </a>
      </div>
      <p class="message">{alert.message[lang()]}</p>
      <p class="muted">{when(alert.openedAt)}</p>
      {alert.status === 'acknowledged' && (
        <p class="taken" role="status">
          {mine
            ? t('alerts.youAreGoing', { since: clock(alert.acknowledgedAt ?? alert.updatedAt) })
            : t('alerts.otherGoing', {
                name: alert.acknowledgedByName ?? alert.acknowledgedBy ?? '',
                since: clock(alert.acknowledgedAt ?? alert.updatedAt),
              })}
        </p>
      )}
      {alert.status === 'open' && (
        <button class="primary big" onClick={claim}>
          {t('alerts.claim')}
        </button>
      )}
      {alert.status === 'acknowledged' && !resolving && (mine || user.role === 'staff' || user.role === 'admin') && (
        <button class="secondary big" onClick={() => setResolving(true)}>
          {t('alerts.resolve')}
        </button>
      )}
      {resolving && (
        <form class="stack" onSubmit={resolve}>
          <fieldset>
            <legend>{t('alerts.outcomeQuestion')}</legend>
            {OUTCOMES.map((outcome, i) => (
              <label class="choice" key={outcome}>
                <input type="radio" name="outcome" value={outcome} required checked={i === 0} />{' '}
                {t(`outcome.${outcome}`)}
              </label>
            ))}
          </fieldset>
          <label>
            {t('alerts.note')}
            <textarea name="note" rows={2} maxLength={1000} />
          </label>
          <div class="row">
            <button class="primary" type="submit">
              {t('alerts.record')}
            </button>
            <button class="link" type="button" onClick={() => setResolving(false)}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      )}
      <ErrorNote error={error} />
    </li>
  );
}

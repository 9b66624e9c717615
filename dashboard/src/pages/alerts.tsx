import { useEffect, useState } from 'preact/hooks';
import type { Alert, AlertOutcome, User, WatchedHome } from '@mimamori/contract';
import { orderAlerts, groupOf, type AlertGroup } from '../alert-order.js';
import { call, onAlertChanges } from '../api.js';
import { ErrorNote, StatusNote } from '../components/common.js';
import { lang, t } from '../i18n/index.js';
import { OUTCOMES } from '../i18n/ja-enums.js';
import { ago, clock } from '../time.js';
import { PushToggle } from './push.js';

/** Ended alerts stay on the page this long, below the others, so a volunteer sees how one ended. */
const ENDED_SHOWN_MS = 24 * 3_600_000;

const isRecent = (alert: Alert, now: number) =>
  groupOf(alert, '') !== 'ended' || now - Date.parse(alert.resolvedAt ?? alert.updatedAt) < ENDED_SHOWN_MS;

/** Re-renders every half minute, so 「5分前」 stays true on a page left open. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * "My alerts" (issue 20): what needs someone now first, the most severe and the longest waiting
 * at the top; below, what someone else has, then what ended in the last day. Updated live. One
 * big button claims an alert (向かいます); whoever has it resolves it or gives it back.
 */
export function AlertsPage({ user, focus }: { user: User; focus?: string | undefined }) {
  const [alerts, setAlerts] = useState<Alert[] | undefined>(undefined);
  const [homes, setHomes] = useState<Map<string, WatchedHome>>(new Map());
  const [error, setError] = useState<unknown>(undefined);
  const now = useNow();
  const load = () =>
    Promise.all(
      (['open', 'acknowledged', 'resolved', 'auto_resolved'] as const).map((status) =>
        call('GET /api/alerts', {
          query: { status, limit: status === 'open' || status === 'acknowledged' ? 500 : 20 },
        }),
      ),
    ).then((answers) => setAlerts(answers.flatMap((a) => a.items)), setError);
  useEffect(() => {
    void load();
    void call('GET /api/watching').then((r) => setHomes(new Map(r.items.map((h) => [h.id, h]))), setError);
    return onAlertChanges(
      (changed) => setAlerts((current) => [changed, ...(current ?? []).filter((a) => a.id !== changed.id)]),
      () => void load(),
    );
  }, []);
  const replace = (changed: Alert) =>
    setAlerts((current) => (current ?? []).map((a) => (a.id === changed.id ? changed : a)));

  const shown = orderAlerts(
    (alerts ?? []).filter((a) => isRecent(a, now)),
    user.username,
  );
  const groups = (['now', 'others', 'ended'] as const).map(
    (group) => [group, shown.filter((a) => groupOf(a, user.username) === group)] as const,
  );
  const card = (a: Alert) => (
    <AlertCard
      key={a.id}
      alert={a}
      home={homes.get(a.homeId)}
      user={user}
      now={now}
      focused={a.id === focus}
      onChange={replace}
    />
  );
  return (
    <section class="alerts">
      <h1>{t('alerts.title')}</h1>
      <ErrorNote error={error} />
      {alerts === undefined ? (
        <p class="muted">{t('app.loading')}</p>
      ) : (
        groups.map(([group, items]) =>
          group === 'now' ? (
            items.length === 0 ? (
              <p class="calm" key={group}>
                {t('alerts.none')}
              </p>
            ) : (
              <ul class="cards" key={group} data-group={group}>
                {items.map(card)}
              </ul>
            )
          ) : (
            items.length > 0 && (
              <div key={group}>
                <h2>{t(GROUP_TITLE[group])}</h2>
                <ul class="cards" data-group={group}>
                  {items.map(card)}
                </ul>
              </div>
            )
          ),
        )
      )}
      {(user.role === 'volunteer' || user.role === 'family') && <PushToggle />}
    </section>
  );
}

const GROUP_TITLE = { others: 'alerts.othersTitle', ended: 'alerts.endedTitle' } as const satisfies Record<
  Exclude<AlertGroup, 'now'>,
  string
>;

/** Who lives there and where: 「佐藤 ハナさん・本町」, so three homes called 佐藤さん宅 can be told apart. */
function whoAndWhere(home: WatchedHome | undefined, alert: Alert): string {
  if (!home) return '';
  const residents = home.residents.filter((r) => alert.residentId === null || r.id === alert.residentId);
  const names = (residents.length > 0 ? residents : home.residents).map((r) => t('alerts.resident', { name: r.name }));
  return [...names, ...(home.district ? [home.district] : [])].join(lang() === 'ja' ? '・' : ', ');
}

function AlertCard({
  alert,
  home,
  user,
  now,
  focused,
  onChange,
}: {
  alert: Alert;
  home: WatchedHome | undefined;
  user: User;
  now: number;
  focused: boolean;
  onChange: (a: Alert) => void;
}) {
  const [resolving, setResolving] = useState(false);
  const [unchosen, setUnchosen] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const staff = user.role === 'staff' || user.role === 'admin';
  const mine = alert.acknowledgedBy === user.username;
  const ended = groupOf(alert, user.username) === 'ended';
  const holder = alert.acknowledgedByName ?? alert.acknowledgedBy ?? '';
  const act = async (work: () => Promise<Alert>, done?: string) => {
    try {
      setError(undefined);
      setStatus(undefined);
      onChange(await work());
      setStatus(done);
    } catch (e) {
      setError(e);
    }
  };
  const claim = () => act(() => call('POST /api/alerts/:id/ack', { params: { id: alert.id } }));
  const release = () => {
    if (!confirm(mine ? t('alerts.releaseConfirm') : t('alerts.releaseForConfirm', { name: holder }))) return;
    setResolving(false);
    void act(() => call('POST /api/alerts/:id/release', { params: { id: alert.id } }), t('alerts.released'));
  };
  const resolve = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const outcome = form.get('outcome');
    // No outcome is chosen for the volunteer: an unanswered question must not be recorded as 「元気だった」.
    if (typeof outcome !== 'string') {
      setUnchosen(true);
      return;
    }
    const note = String(form.get('note') ?? '').trim();
    void act(() =>
      call('POST /api/alerts/:id/resolve', {
        params: { id: alert.id },
        body: { outcome: outcome as AlertOutcome, ...(note && { note }) },
      }),
    );
  };
  const where = whoAndWhere(home, alert);
  return (
    <li class={`card ${alert.severity} ${ended ? 'ended' : ''} ${focused ? 'focused' : ''}`} data-alert={alert.id}>
      <div class="card-head">
        <span class={`tag ${alert.severity}`}>{t(`severity.${alert.severity}`)}</span>
        <a class="home-link" href={`/homes/${alert.homeId}`}>
          {home?.name ?? alert.homeId}
        </a>
      </div>
      {where && <p class="where">{where}</p>}
      <p class="message">{alert.message[lang()]}</p>
      <p class="muted">
        {/* An ended alert began then; an open one has been waiting since. */}
        {t(ended ? 'alerts.began' : 'alerts.since', { ago: ago(alert.openedAt, now), at: clock(alert.openedAt) })}
        {alert.fireCount > 1 && (
          <>
            {'・'}
            <strong class="repeat">{t('alerts.repeated', { count: alert.fireCount })}</strong>
            {t('alerts.latest', { at: clock(alert.lastFiredAt) })}
          </>
        )}
      </p>
      {alert.status === 'acknowledged' && (
        <p class="taken">
          {mine
            ? t('alerts.youAreGoing', { since: clock(alert.acknowledgedAt ?? alert.updatedAt) })
            : t('alerts.otherGoing', { name: holder, since: clock(alert.acknowledgedAt ?? alert.updatedAt) })}
        </p>
      )}
      {ended && (
        <p class="taken">
          {alert.status === 'resolved'
            ? t('alerts.endedBy', {
                outcome: alert.outcome ? t(`outcome.${alert.outcome}`) : '',
                name: holder,
                at: clock(alert.resolvedAt ?? alert.updatedAt),
              })
            : t('alerts.clearedAt', { at: clock(alert.resolvedAt ?? alert.updatedAt) })}
        </p>
      )}
      {alert.status === 'open' && (
        <button type="button" class="primary big" onClick={claim}>
          {t('alerts.claim')}
        </button>
      )}
      {alert.status === 'acknowledged' && !resolving && (mine || staff) && (
        <div class="row">
          <button type="button" class="secondary big" onClick={() => setResolving(true)}>
            {t('alerts.resolve')}
          </button>
          <button type="button" class="secondary" onClick={release}>
            {mine ? t('alerts.release') : t('alerts.releaseFor', { name: holder })}
          </button>
        </div>
      )}
      {resolving && alert.status === 'acknowledged' && (
        <form class="stack" onSubmit={resolve} noValidate>
          <fieldset aria-describedby={unchosen ? `unchosen-${alert.id}` : undefined}>
            <legend>{t('alerts.outcomeQuestion')}</legend>
            {OUTCOMES.map((outcome) => (
              <label class="choice" key={outcome}>
                <input type="radio" name="outcome" value={outcome} onChange={() => setUnchosen(false)} />{' '}
                {t(`outcome.${outcome}`)}
              </label>
            ))}
            {unchosen && (
              <p class="field-error" role="alert" id={`unchosen-${alert.id}`}>
                {t('alerts.chooseOutcome')}
              </p>
            )}
          </fieldset>
          <label class="field">
            {t('alerts.note')}
            <textarea name="note" rows={2} maxLength={1000} />
          </label>
          <div class="row">
            <button class="primary" type="submit">
              {t('alerts.record')}
            </button>
            <button class="secondary" type="button" onClick={() => setResolving(false)}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      )}
      <StatusNote text={status} />
      <ErrorNote error={error} />
    </li>
  );
}

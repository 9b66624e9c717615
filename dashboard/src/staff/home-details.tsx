import type { HomeOverview } from '@mimamori/contract';
import { call } from '../api.js';
import './words.js';
import { Loaded, useLoad } from '../components/common.js';
import { lang, t } from '../i18n/index.js';
import { day, when } from '../time.js';
import { DeviceHealthTable } from './device-state.js';
import { useRuleNames } from './rule-names.js';

/** Where staff change a home: continuing its set-up when it is not finished, its record, devices and network. */
export function StaffHomeActions({ homeId }: { homeId: string }) {
  const setup = useLoad(
    () => call('GET /api/setup-status').then((r) => r.items.find((h) => h.homeId === homeId)),
    [homeId],
  );
  return (
    <nav class="row actions" aria-label={t('home.title')}>
      {setup.data && (
        <a class="button-link primary" href={`/homes/${homeId}/setup`}>
          {t('board.resume')}
        </a>
      )}
      <a class="button-link" href={`/homes/${homeId}/edit`}>
        {t('app.edit')}
      </a>
      <a class="button-link" href={`/homes/${homeId}/devices`}>
        {t('devices.title')}
      </a>
      <a class="button-link" href={`/homes/${homeId}/network`}>
        {t('network.title')}
      </a>
    </nav>
  );
}

/**
 * What staff see of a home beyond the watchers' view: where to change it, its residents and
 * their check-ins today, its devices and their health, the consent record, the alert history.
 */
export function StaffHomeDetails({ overview }: { overview: HomeOverview }) {
  const id = overview.home.id;
  const zone = overview.home.timezone;
  const data = useLoad(
    () =>
      Promise.all([
        call('GET /api/homes/:id', { params: { id } }),
        call('GET /api/checkin-status', { query: { homeId: id } }).then((r) => r.items),
        call('GET /api/devices', { query: { homeId: id } }).then((r) => r.items),
        call('GET /api/alerts', { query: { homeId: id, limit: 50 } }).then((r) => r.items),
      ]),
    [id],
  );
  const ruleName = useRuleNames();
  return (
    <Loaded data={data.data} error={data.error}>
      {([home, statuses, devices, history]) => (
        <div class="stack staff-home">
          <h2>{t('residentForm.title')}</h2>
          <ul class="plain">
            {statuses.map((s) => (
              <li key={s.residentId}>
                <a href={`/residents/${s.residentId}`}>{t('residentForm.open', { name: s.residentName })}</a>:{' '}
                <span class={`state ${s.status}`}>{t(`residentState.${s.status}`)}</span>
                {s.nextDueAt && `（${t('schedule.next', { at: when(s.nextDueAt, zone) })}）`}
              </li>
            ))}
          </ul>

          <h2>{t('devices.title')}</h2>
          <DeviceHealthTable devices={devices} zone={zone} />

          <h2>{t('setup.steps.consent')}</h2>
          <p>
            {(['health', 'activity', 'medical'] as const)
              .map((kind) => `${t(`consentForm.${kind}`)}: ${home.consent[kind] ? t('app.yes') : t('app.no')}`)
              .join(' / ')}
          </p>
          {home.consent.recordedAt && (
            <p class="muted">
              {t('consentForm.recordedAt')}: {day(home.consent.recordedAt, zone)}
              {home.consent.method && `・${t(`consentMethod.${home.consent.method}`)}`}
              {home.consent.recordedBy && `・${t('consentForm.recordedBy', { name: home.consent.recordedBy })}`}
            </p>
          )}

          <h2>{t('nav.alerts')}</h2>
          <table class="compact">
            <thead>
              <tr>
                <th scope="col">{t('rules.at')}</th>
                <th scope="col">{t('rules.title')}</th>
                <th scope="col">{t('deviceHealth.state')}</th>
                <th scope="col">{t('alerts.outcome')}</th>
                <th scope="col">{t('rules.message')}</th>
              </tr>
            </thead>
            <tbody>
              {history.map((a) => (
                <tr key={a.id}>
                  <td>{when(a.openedAt, zone)}</td>
                  <td>{ruleName(a.rule)}</td>
                  <td>{t(`alertStatus.${a.status}`)}</td>
                  <td>{a.outcome ? t(`outcome.${a.outcome}`) : ''}</td>
                  <td>{a.message[lang()]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Loaded>
  );
}

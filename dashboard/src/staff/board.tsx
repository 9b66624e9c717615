import type { Alert, CheckinStatus, Device, Home, UserProfile } from '@mimamori/contract';
import { useEffect, useState } from 'preact/hooks';
import { call, onAlertChanges } from '../api.js';
import './words.js';
import { Loaded, useLoad, valueOf } from '../components/common.js';
import { lang, t } from '../i18n/index.js';
import { when } from '../time.js';
import { DeviceState, lastHeard } from './device-state.js';

type Light = 'green' | 'yellow' | 'red';
const RANK: Record<Light, number> = { red: 0, yellow: 1, green: 2 };

/** Red: an open critical alert or a missed check-in; yellow: any other open alert or a late/pending check-in; green otherwise. */
function lightOf(alerts: readonly Alert[], statuses: readonly CheckinStatus[]): Light {
  if (
    alerts.some((a) => a.severity === 'critical' && a.status === 'open') ||
    statuses.some((s) => s.status === 'missed')
  )
    return 'red';
  if (alerts.length > 0 || statuses.some((s) => s.status === 'late' || s.status === 'pending')) return 'yellow';
  return 'green';
}

/** People alerts cannot reach: active watchers with no e-mail and no browser subscribed to Web Push. */
const unreachable = (users: readonly UserProfile[]) =>
  users.filter(
    (u) => u.active && (u.role === 'volunteer' || u.role === 'family') && !u.email && u.pushSubscriptions === 0,
  );

/**
 * Every home at a glance, worst first, filterable by district and refreshed live on alert
 * changes; beside it what needs staff: homes not fully set up, devices to check (worst first),
 * people alerts cannot reach, homes away.
 */
export function StaffBoard() {
  const [district, setDistrict] = useState('');
  const board = useLoad(
    () =>
      Promise.all([
        call('GET /api/homes').then((r) => r.items),
        call('GET /api/alerts', { query: { status: 'open', limit: 1000 } }).then((r) => r.items),
        call('GET /api/alerts', { query: { status: 'acknowledged', limit: 1000 } }).then((r) => r.items),
        call('GET /api/checkin-status').then((r) => r.items),
      ]),
    [],
  );
  const side = useLoad(
    () =>
      Promise.all([
        call('GET /api/setup-status').then((r) => r.items),
        call('GET /api/devices', { query: { attention: 'true' } }).then((r) => r.items),
        call('GET /api/users').then((r) => unreachable(r.items)),
        call('GET /api/absences').then((r) => r.items),
      ]),
    [],
  );
  useEffect(
    () =>
      onAlertChanges(
        () => void board.reload(),
        () => void board.reload(),
      ),
    [],
  );
  return (
    <section class="stack">
      <div class="row between">
        <h1>{t('board.title')}</h1>
        <a class="button-link primary" href="/homes/new">
          {t('board.newHome')}
        </a>
      </div>
      <Loaded data={board.data} error={board.error}>
        {([homes, open, taken, statuses]) => (
          <HomesTable
            homes={homes}
            alerts={[...open, ...taken]}
            statuses={statuses}
            district={district}
            onDistrict={setDistrict}
          />
        )}
      </Loaded>
      <Loaded data={side.data} error={side.error}>
        {([setups, devices, people, absences]) => (
          <div class="columns">
            <section>
              <h2>{t('board.unfinished')}</h2>
              {setups.length === 0 && <p class="muted">{t('board.allSetUp')}</p>}
              <ul class="plain">
                {setups.map((s) => (
                  <li key={s.homeId}>
                    <a href={`/homes/${s.homeId}/setup`}>{s.name}</a>（
                    {t('setup.missing', { steps: s.missing.map((m) => t(`setup.steps.${m}`)).join('、') })}）
                  </li>
                ))}
              </ul>
            </section>
            <DevicesToCheck devices={devices} homes={board.data?.[0] ?? []} />
            <section>
              <h2>{t('board.unreachable')}</h2>
              {people.length === 0 ? (
                <p class="muted">{t('board.everyoneReachable')}</p>
              ) : (
                <>
                  <p class="caution">{t('board.unreachableHelp')}</p>
                  <ul class="plain" data-testid="unreachable">
                    {people.map((u) => (
                      <li key={u.id}>
                        <a href={`/people?user=${u.id}`}>{u.displayName}</a>
                        {u.affiliation ? `（${u.affiliation}）` : ''}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
            <section>
              <h2>{t('board.activeAbsences')}</h2>
              {absences.length === 0 ? (
                <p class="muted">{t('board.noActiveAbsences')}</p>
              ) : (
                <ul class="plain">
                  {absences.map((a) => (
                    <li key={a.id}>
                      <a href={`/homes/${a.homeId}`}>{a.homeName}</a>: {t(`absenceReason.${a.reason}`)}（
                      {t('absences.ends')} {when(a.endsAt)}）
                    </li>
                  ))}
                </ul>
              )}
              <a href="/absences">{t('board.allAbsences')}</a>
            </section>
          </div>
        )}
      </Loaded>
    </section>
  );
}

function HomesTable({
  homes,
  alerts,
  statuses,
  district,
  onDistrict,
}: {
  homes: Home[];
  alerts: Alert[];
  statuses: CheckinStatus[];
  district: string;
  onDistrict: (district: string) => void;
}) {
  const districts = [...new Set(homes.map((h) => h.district).filter((d): d is string => Boolean(d)))].sort();
  const rows = homes
    .filter((h) => !district || h.district === district)
    .map((home) => {
      const homeAlerts = alerts.filter((a) => a.homeId === home.id);
      const homeStatuses = statuses.filter((s) => s.homeId === home.id);
      return { home, homeAlerts, homeStatuses, light: lightOf(homeAlerts, homeStatuses) };
    })
    .sort((a, b) => RANK[a.light] - RANK[b.light] || a.home.name.localeCompare(b.home.name, lang()));
  return (
    <>
      <label class="inline">
        {t('board.district')}{' '}
        <select value={district} onChange={(e) => onDistrict(valueOf(e))}>
          <option value="">{t('board.all')}</option>
          {districts.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </label>
      <table class="board">
        <thead>
          <tr>
            <th scope="col">{t('board.state')}</th>
            <th scope="col">{t('board.home')}</th>
            <th scope="col">{t('board.district')}</th>
            <th scope="col">{t('board.todaysCheckins')}</th>
            <th scope="col">{t('board.openAlerts')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ home, homeAlerts, homeStatuses, light }) => (
            <tr key={home.id} class={light} data-home={home.id}>
              <td>
                <span class={`light ${light}`}>{t(`light.${light}`)}</span>
              </td>
              <td>
                <a href={`/homes/${home.id}`}>{home.name}</a>
              </td>
              <td>{home.district ?? ''}</td>
              <td>
                {homeStatuses
                  .map(
                    (s) =>
                      `${s.residentName}: ${t(`residentState.${s.status}`)}${s.lastAnsweredAt ? `（${when(s.lastAnsweredAt, home.timezone)}）` : ''}`,
                  )
                  .join('、')}
              </td>
              <td>{homeAlerts.map((a) => a.message[lang()]).join(' / ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Devices offline, never heard from or low on battery, across homes, worst first (as the hub orders them). */
function DevicesToCheck({ devices, homes }: { devices: Device[]; homes: Home[] }) {
  const names = new Map(homes.map((h) => [h.id, h.name]));
  return (
    <section>
      <h2>{t('board.devices')}</h2>
      {devices.length === 0 ? (
        <p class="muted">{t('board.noDeviceProblems')}</p>
      ) : (
        <ul class="plain" data-testid="devices-to-check">
          {devices.map((d) => (
            <li key={d.id}>
              <a href={`/homes/${d.homeId}/devices`}>{names.get(d.homeId) ?? d.homeId}</a>: {t(`deviceKind.${d.kind}`)}{' '}
              {d.name ?? ''} — <DeviceState device={d} attention /> {d.lastSeenAt && `（${lastHeard(d)}）`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

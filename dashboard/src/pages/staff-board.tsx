import { useEffect, useState } from 'preact/hooks';
import type { Alert, CheckinStatus, Home } from '@mimamori/contract';
import { call, onAlertChanges } from '../api.js';
import { t, when } from '../i18n.js';

type Light = 'green' | 'yellow' | 'red';

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

const LIGHT_WORDS = {
  green: { ja: '異常なし', en: 'OK' },
  yellow: { ja: '注意', en: 'Watch' },
  red: { ja: '要対応', en: 'Act now' },
} as const;
const STATUS_WORDS = {
  up: '応答あり',
  pending: '応答待ち',
  late: '再呼びかけ中',
  missed: '応答なし',
  absent: '不在',
  paused: '呼びかけ停止中',
} as const;

/** Every home at a glance, worst first, filterable by district; refreshed live on alert changes. */
export function StaffBoard() {
  const [homes, setHomes] = useState<Home[]>([]);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [statuses, setStatuses] = useState<CheckinStatus[]>([]);
  const [district, setDistrict] = useState('');
  const load = async () => {
    const [h, open, taken, s] = await Promise.all([
      call('GET /api/homes'),
      call('GET /api/alerts', { query: { status: 'open', limit: 1000 } }),
      call('GET /api/alerts', { query: { status: 'acknowledged', limit: 1000 } }),
      call('GET /api/checkin-status'),
    ]);
    setHomes(h.items);
    setAlerts([...open.items, ...taken.items]);
    setStatuses(s.items);
  };
  useEffect(() => {
    void load();
    return onAlertChanges(
      () => void load(),
      () => void load(),
    );
  }, []);
  const districts = [...new Set(homes.map((h) => h.district).filter((d): d is string => Boolean(d)))].sort();
  const rank = { red: 0, yellow: 1, green: 2 };
  const rows = homes
    .filter((h) => !district || h.district === district)
    .map((home) => {
      const homeAlerts = alerts.filter((a) => a.homeId === home.id);
      const homeStatuses = statuses.filter((s) => s.homeId === home.id);
      return { home, homeAlerts, homeStatuses, light: lightOf(homeAlerts, homeStatuses) };
    })
    .sort((a, b) => rank[a.light] - rank[b.light] || a.home.name.localeCompare(b.home.name));
  const ja = document.documentElement.lang !== 'en';
  return (
    <section>
      <h1>{t('board')}</h1>
      <label class="inline">
        {t('district')}{' '}
        <select value={district} onChange={(e) => setDistrict((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">{t('all')}</option>
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
            <th>{ja ? '状態' : 'State'}</th>
            <th>{ja ? 'お宅' : 'Home'}</th>
            <th>{t('district')}</th>
            <th>{ja ? '今日の呼びかけ' : "Today's check-ins"}</th>
            <th>{t('myAlerts')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ home, homeAlerts, homeStatuses, light }) => (
            <tr key={home.id} class={light} data-home={home.id}>
              <td>
                <span class={`light ${light}`}>{LIGHT_WORDS[light][ja ? 'ja' : 'en']}</span>
              </td>
              <td>
                <a href={`#/homes/${home.id}`}>{home.name}</a>
              </td>
              <td>{home.district ?? ''}</td>
              <td>
                {homeStatuses
                  .map(
                    (s) =>
                      `${s.residentName}: ${ja ? STATUS_WORDS[s.status] : s.status}${s.lastAnsweredAt ? `（${when(s.lastAnsweredAt)}）` : ''}`,
                  )
                  .join('、')}
              </td>
              <td>{homeAlerts.map((a) => a.message[ja ? 'ja' : 'en']).join(' / ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

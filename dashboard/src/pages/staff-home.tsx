import { useEffect, useState } from 'preact/hooks';
import type {
  Alert,
  CheckinOutcome,
  CheckinRecord,
  Device,
  Home,
  HomeOverview,
  Resident,
  UserProfile,
} from '@mimamori/contract';
import { call } from '../api.js';
import { errorText } from '../problems.js';
import { CHECKIN_WORDS, lang, t, when } from '../i18n.js';
import { Chart } from './chart.js';

const DAY = 86_400_000;
const OUTCOME_CLASS: Record<CheckinOutcome, string> = {
  answered: 'ok',
  satisfied: 'ok',
  missed: 'bad',
  pending: 'wait',
  absent: 'off',
  paused: 'off',
  not_asked: 'off',
};

/** What staff see of a home beyond the watchers' view: residents, devices, consent, the network (editable), a month of check-ins, activity, alert history. */
export function StaffHomeDetails({ overview }: { overview: HomeOverview }) {
  const id = overview.home.id;
  const [home, setHome] = useState<Home | undefined>(undefined);
  const [residents, setResidents] = useState<Resident[]>([]);
  const [devices, setDevices] = useState<Device[]>([]);
  const [checkins, setCheckins] = useState<CheckinRecord[]>([]);
  const [history, setHistory] = useState<Alert[]>([]);
  useEffect(() => {
    const now = Date.now();
    void call('GET /api/homes/:id', { params: { id } }).then(setHome);
    void call('GET /api/homes/:id/residents', { params: { id } }).then((r) => setResidents(r.items));
    void call('GET /api/devices', { query: { homeId: id } }).then((r) => setDevices(r.items));
    void call('GET /api/homes/:id/checkins', {
      params: { id },
      query: { from: new Date(now - 31 * DAY).toISOString(), to: new Date(now + DAY).toISOString() },
    }).then((r) => setCheckins(r.items));
    void call('GET /api/alerts', { query: { homeId: id, limit: 50 } }).then((r) => setHistory(r.items));
  }, [id]);
  const hours = overview.activityByHour ?? [];
  return (
    <div class="stack staff-home">
      <h2>入居者</h2>
      <ul class="plain">
        {residents.map((r) => (
          <li key={r.id}>
            {r.name}（{r.language}、{r.missTolerance}回続けて応答がなければ通知）
          </li>
        ))}
      </ul>

      <h2>機器</h2>
      <table class="compact">
        <thead>
          <tr>
            <th>機器</th>
            <th>種類</th>
            <th>状態</th>
            <th>電池</th>
            <th>最終受信</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.id}>
              <td>{d.name ?? d.id}</td>
              <td>{d.kind}</td>
              <td>{d.online ? 'オンライン' : 'オフライン'}</td>
              <td>{d.battery === null ? '—' : `${d.battery}%`}</td>
              <td>{d.lastSeenAt ? when(d.lastSeenAt) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {home && (
        <>
          <h2>同意の記録</h2>
          <p>
            体調の共有: {home.consent.health ? 'あり' : 'なし'} / 生活の動きの共有:{' '}
            {home.consent.activity ? 'あり' : 'なし'} / 医療メモの共有: {home.consent.medical ? 'あり' : 'なし'}
            {home.consent.recordedAt ? `（${when(home.consent.recordedAt)} 記録）` : ''}
          </p>
        </>
      )}

      <NetworkEditor homeId={id} />

      <h2>1か月の呼びかけ</h2>
      {checkins.length === 0 ? (
        <p class="muted">{t('noCheckins')}</p>
      ) : (
        <div class="calendar" role="list">
          {checkins.map((c) => (
            <span
              key={c.id}
              role="listitem"
              class={`day ${OUTCOME_CLASS[c.outcome]}`}
              title={`${when(c.dueAt)} ${CHECKIN_WORDS[c.answer ?? c.outcome][lang()]}`}
            >
              {c.localDate.slice(8)}
            </span>
          ))}
        </div>
      )}

      <h2>生活の動き（1時間ごと、7日間）</h2>
      {hours.length > 0 && (
        <Chart
          x={hours.map((h) => Date.parse(h.hour) / 1000)}
          series={[
            {
              label: lang() === 'ja' ? 'センサーの反応' : 'Sensor events',
              values: hours.map((h) => h.count),
              color: '#0b4f8a',
            },
          ]}
          height={200}
        />
      )}

      <h2>アラートの履歴</h2>
      <table class="compact">
        <tbody>
          {history.map((a) => (
            <tr key={a.id}>
              <td>{when(a.openedAt)}</td>
              <td>{a.rule}</td>
              <td>{a.status}</td>
              <td>{a.outcome ?? ''}</td>
              <td>{a.message[lang()]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface TierDraft {
  name: string;
  watchers: string[];
  ackTimeoutMinutes: number;
  hours: string;
}

/** The home's watch-over network: tiers of watchers with timeouts and reachable hours; saving needs a reason. */
function NetworkEditor({ homeId }: { homeId: string }) {
  const [users, setUsers] = useState<UserProfile[]>([]);
  const [tiers, setTiers] = useState<TierDraft[]>([]);
  const [announce, setAnnounce] = useState(false);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  useEffect(() => {
    void call('GET /api/users').then((r) => setUsers(r.items.filter((u) => u.active)));
    call('GET /api/homes/:id/network', { params: { id: homeId } }).then(
      (network) => {
        setTiers(
          network.tiers.map((t) => ({
            name: t.name,
            watchers: t.watchers,
            ackTimeoutMinutes: t.ackTimeoutMinutes,
            hours: t.hours ? `${t.hours.from}-${t.hours.to}` : '',
          })),
        );
        setAnnounce(network.announceOnAck);
      },
      () => setTiers([{ name: '近隣・民生委員', watchers: [], ackTimeoutMinutes: 15, hours: '' }]),
    );
  }, [homeId]);
  const change = (index: number, patch: Partial<TierDraft>) =>
    setTiers((all) => all.map((t, i) => (i === index ? { ...t, ...patch } : t)));
  const save = async (event: Event) => {
    event.preventDefault();
    try {
      await call('PUT /api/homes/:id/network', {
        params: { id: homeId },
        body: {
          tiers: tiers.map((t) => {
            const [from, to] = t.hours.split('-').map((s) => s.trim());
            return {
              name: t.name,
              watchers: t.watchers,
              ackTimeoutMinutes: t.ackTimeoutMinutes,
              ...(from && to ? { hours: { from, to } } : {}),
            };
          }),
          announceOnAck: announce,
          reason,
        },
      });
      setMessage({ ok: true, text: '保存しました' });
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) });
    }
  };
  return (
    <form class="stack network" onSubmit={save}>
      <h2>見守りネットワーク</h2>
      {tiers.map((tier, index) => (
        <fieldset key={index}>
          <legend>第{index + 1}段階</legend>
          <label>
            名前{' '}
            <input
              value={tier.name}
              onInput={(e) => change(index, { name: (e.currentTarget as HTMLInputElement).value })}
              required
            />
          </label>
          <label>
            担当者
            <select
              multiple
              size={Math.min(6, users.length || 1)}
              onChange={(e) =>
                change(index, {
                  watchers: [...(e.currentTarget as HTMLSelectElement).selectedOptions].map((o) => o.value),
                })
              }
            >
              {users.map((u) => (
                <option key={u.id} value={u.id} selected={tier.watchers.includes(u.id)}>
                  {u.displayName}（{u.username}）
                </option>
              ))}
            </select>
          </label>
          <label class="inline">
            応答を待つ時間（分）{' '}
            <input
              type="number"
              min={1}
              max={1440}
              value={tier.ackTimeoutMinutes}
              onInput={(e) => change(index, { ackTimeoutMinutes: Number((e.currentTarget as HTMLInputElement).value) })}
            />
          </label>
          <label class="inline">
            連絡できる時間（例 09:00-17:00、空欄は終日）{' '}
            <input
              value={tier.hours}
              placeholder="09:00-17:00"
              onInput={(e) => change(index, { hours: (e.currentTarget as HTMLInputElement).value })}
            />
          </label>
          {tiers.length > 1 && (
            <button type="button" class="link" onClick={() => setTiers((all) => all.filter((_, i) => i !== index))}>
              この段階を削除
            </button>
          )}
        </fieldset>
      ))}
      <button
        type="button"
        class="secondary"
        onClick={() => setTiers((all) => [...all, { name: '', watchers: [], ackTimeoutMinutes: 30, hours: '' }])}
      >
        段階を追加
      </button>
      <label class="inline">
        <input
          type="checkbox"
          checked={announce}
          onChange={(e) => setAnnounce((e.currentTarget as HTMLInputElement).checked)}
        />{' '}
        向かう人をスピーカーでご本人に伝える
      </label>
      <label>
        変更の理由（必須）{' '}
        <input value={reason} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} required />
      </label>
      {message && (
        <p class={message.ok ? 'calm' : 'error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      <button class="primary" type="submit">
        ネットワークを保存
      </button>
    </form>
  );
}

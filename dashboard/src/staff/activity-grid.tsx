import type { EventRecord, Home } from '@mimamori/contract';
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { ErrorNote, Loaded, useLoad } from '../components/common.js';
import { lang, t } from '../i18n/index.js';
import { clock, day, instantOf } from '../time.js';

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/**
 * A home's activity over the last 28 days as a day × hour grid in the home's time zone (issue 19
 * item 7): darker is busier, and each busy hour opens the events behind it.
 */
export function ActivityGrid({ home }: { home: Home }) {
  const activity = useLoad(
    () => call('GET /api/homes/:id/activity', { params: { id: home.id }, query: { days: 28 } }),
    [home.id],
  );
  const [chosen, setChosen] = useState<{ date: string; hour: number } | undefined>(undefined);
  return (
    <div class="stack">
      <p class="muted">{t('resident.activityHelp')}</p>
      <Loaded data={activity.data} error={activity.error}>
        {({ days }) => {
          const max = Math.max(1, ...days.flatMap((d) => d.hours));
          return (
            <div class="scroll">
              <table class="heatmap" data-testid="activity-grid">
                <thead>
                  <tr>
                    <th scope="col">
                      <span class="visually-hidden">{t('rules.day')}</span>
                    </th>
                    {HOURS.map((h) => (
                      <th scope="col" key={h}>
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {days.map(({ date, hours }) => (
                    <tr key={date}>
                      <th scope="row">{day(instantOf(date, '12:00', home.timezone), home.timezone)}</th>
                      {hours.map((count, hour) => (
                        <td key={hour} class={`level-${Math.ceil((count / max) * 4)}`}>
                          {count > 0 ? (
                            <button
                              type="button"
                              aria-pressed={chosen?.date === date && chosen.hour === hour}
                              onClick={() => setChosen({ date, hour })}
                            >
                              {count}
                            </button>
                          ) : (
                            <span class="visually-hidden">0</span>
                          )}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </Loaded>
      {chosen && <HourEvents home={home} date={chosen.date} hour={chosen.hour} />}
    </div>
  );
}

/** The events of one local hour, in the words a person reads. */
function HourEvents({ home, date, hour }: { home: Home; date: string; hour: number }) {
  const from = instantOf(date, `${String(hour).padStart(2, '0')}:00`, home.timezone);
  const events = useLoad(
    () =>
      call('GET /api/homes/:id/events', {
        params: { id: home.id },
        query: { from, to: new Date(Date.parse(from) + 3_600_000).toISOString() },
      }).then((r) => r.items),
    [home.id, from],
  );
  return (
    <section aria-live="polite">
      <h3>{t('resident.events', { day: day(from, home.timezone), hour })}</h3>
      <ErrorNote error={events.error} />
      <Loaded data={events.data} error={undefined}>
        {(items) =>
          items.length === 0 ? (
            <p class="muted">{t('resident.noEvents')}</p>
          ) : (
            <ul class="plain events">
              {items.map((e) => (
                <li key={e.seq}>
                  {clock(e.ts, home.timezone)} {describe(e)}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

/** One event in words: 「人感センサー: 居間」, 「ドア: 開いた」, 「電力: 320W」. */
function describe(event: EventRecord): string {
  const data = event.data;
  switch (event.type) {
    case 'motion':
      return data.occupied ? t('event.motion', { room: String(data.room ?? '') }) : t('event.motionOff');
    case 'door':
      return t('event.door', { state: data.open ? t('event.doorOpen') : t('event.doorClosed') });
    case 'power':
      return t('event.power', { watts: Number(data.watts).toLocaleString(lang()) });
    case 'environment':
      return t('event.environment', { temp: String(data.temperatureC ?? '—') });
    case 'checkin':
      return t('event.checkin', { answer: t(`checkin.${String(data.answer) as 'fine'}`) });
    case 'sos':
      return t('event.sos');
    case 'heartbeat':
      return t('event.heartbeat');
  }
}

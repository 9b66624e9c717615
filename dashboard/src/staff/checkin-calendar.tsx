import type { CheckinOutcome, CheckinRecord, Home } from '@mimamori/contract';
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { Loaded, useLoad, valueOf } from '../components/common.js';
import { t } from '../i18n/index.js';
import { clock, instantOf, localDate, monthName } from '../time.js';

/** How each outcome looks on the calendar: a colour and a mark, so colour is never the only sign. */
const LOOK: Record<CheckinOutcome, { tone: 'ok' | 'bad' | 'wait' | 'off'; mark: string }> = {
  answered: { tone: 'ok', mark: '○' },
  satisfied: { tone: 'ok', mark: '◎' },
  missed: { tone: 'bad', mark: '×' },
  pending: { tone: 'wait', mark: '…' },
  absent: { tone: 'off', mark: '－' },
  paused: { tone: 'off', mark: '－' },
  not_asked: { tone: 'off', mark: '△' },
};
const LEGEND: CheckinOutcome[] = ['answered', 'satisfied', 'missed', 'pending', 'absent', 'not_asked'];

const shiftMonth = (month: string, by: number): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const date = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
};

/** A resident's check-ins as a month grid in the home's time zone, with a legend and a month picker. */
export function CheckinCalendar({ home, residentId }: { home: Home; residentId: string }) {
  const [month, setMonth] = useState(localDate(home.timezone).slice(0, 7));
  const records = useLoad(
    () =>
      call('GET /api/homes/:id/checkins', {
        params: { id: home.id },
        query: {
          from: instantOf(`${month}-01`, '00:00', home.timezone),
          to: instantOf(`${shiftMonth(month, 1)}-01`, '00:00', home.timezone),
          residentId,
        },
      }).then((r) => r.items),
    [home.id, residentId, month],
  );
  return (
    <div class="stack calendar-block">
      <div class="row">
        <button type="button" class="secondary" onClick={() => setMonth(shiftMonth(month, -1))}>
          {t('resident.prevMonth')}
        </button>
        <label class="inline">
          <span class="visually-hidden">{t('report.month')}</span>
          <input type="month" value={month} onInput={(e) => valueOf(e) && setMonth(valueOf(e))} />
        </label>
        <button type="button" class="secondary" onClick={() => setMonth(shiftMonth(month, 1))}>
          {t('resident.nextMonth')}
        </button>
      </div>
      <Loaded data={records.data} error={records.error}>
        {(items) => <MonthGrid month={month} records={items} zone={home.timezone} />}
      </Loaded>
      <div class="legend" aria-label={t('resident.legend')}>
        {LEGEND.map((outcome) => (
          <span key={outcome} class={`mark ${LOOK[outcome].tone}`}>
            <span aria-hidden="true">{LOOK[outcome].mark}</span> {t(`checkin.${outcome}`)}
          </span>
        ))}
      </div>
    </div>
  );
}

function MonthGrid({ month, records, zone }: { month: string; records: CheckinRecord[]; zone: string }) {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const firstWeekday = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const cells = [...Array.from({ length: firstWeekday }, () => 0), ...Array.from({ length: days }, (_, i) => i + 1)];
  const weeks = Array.from({ length: Math.ceil(cells.length / 7) }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  const byDate = new Map<string, CheckinRecord[]>();
  for (const record of records) byDate.set(record.localDate, [...(byDate.get(record.localDate) ?? []), record]);
  return (
    <table class="calendar" data-testid="checkin-calendar">
      <caption>{monthName(month)}</caption>
      <thead>
        <tr>
          {t('resident.weekdays')
            .split(',')
            .map((weekday) => (
              <th scope="col" key={weekday}>
                {weekday}
              </th>
            ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week, w) => (
          <tr key={w}>
            {Array.from({ length: 7 }, (_, d) => week[d] ?? 0).map((dayOfMonth, d) => {
              if (dayOfMonth === 0) return <td key={d} />;
              const date = `${month}-${String(dayOfMonth).padStart(2, '0')}`;
              return (
                <td key={d} data-date={date}>
                  <span class="day-number">{dayOfMonth}</span>
                  {(byDate.get(date) ?? []).map((record) => (
                    <span
                      key={record.id}
                      class={`mark ${LOOK[record.outcome].tone}`}
                      title={t(`checkin.${record.outcome}`)}
                    >
                      <span aria-hidden="true">{LOOK[record.outcome].mark}</span>
                      <span class="visually-hidden">
                        {clock(record.dueAt, zone)} {t(`checkin.${record.answer ?? record.outcome}`)}
                      </span>
                    </span>
                  ))}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

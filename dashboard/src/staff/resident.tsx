import { call } from '../api.js';
import './words.js';
import { Loaded, useLoad } from '../components/common.js';
import { t } from '../i18n/index.js';
import { when } from '../time.js';
import { ActivityGrid } from './activity-grid.js';
import { CheckinCalendar } from './checkin-calendar.js';
import { DeviceHealthTable } from './device-state.js';
import { ResidentForm } from './home-forms.js';
import { SchedulesEditor } from './schedules.js';

/**
 * A resident's page (issue 19 item 7): today's check-in, the check-in calendar a month at a time,
 * the home's activity over four weeks (day × hour, with the events behind each hour), the
 * home's devices and their health, and the resident's check-in schedules.
 */
export function ResidentPage({ id }: { id: string }) {
  const data = useLoad(async () => {
    const status = await call('GET /api/residents/:id/checkin-status', { params: { id } });
    const [home, residents, devices] = await Promise.all([
      call('GET /api/homes/:id', { params: { id: status.homeId } }),
      call('GET /api/homes/:id/residents', { params: { id: status.homeId } }).then((r) => r.items),
      call('GET /api/devices', { query: { homeId: status.homeId } }).then((r) => r.items),
    ]);
    const resident = residents.find((r) => r.id === id);
    if (!resident) throw new Error(`resident ${id} is not in home ${status.homeId}`);
    return { status, home, resident, devices };
  }, [id]);
  return (
    <section class="stack resident">
      <Loaded data={data.data} error={data.error}>
        {({ status, home, resident, devices }) => (
          <>
            <p>
              <a href={`/homes/${home.id}`}>{home.name}</a>
            </p>
            <h1>{t('resident.title', { name: resident.name })}</h1>
            {resident.reading && (
              <p class="muted" lang="ja">
                {resident.reading}
              </p>
            )}
            <p>
              {t('resident.status')}:{' '}
              <span class={`state ${status.status}`}>{t(`residentState.${status.status}`)}</span>
              {status.nextDueAt && `・${t('schedule.next', { at: when(status.nextDueAt, home.timezone) })}`}
            </p>
            <h2>{t('resident.calendar')}</h2>
            <CheckinCalendar home={home} residentId={resident.id} />
            <h2>{t('resident.activity')}</h2>
            <ActivityGrid home={home} />
            <h2>{t('resident.devices')}</h2>
            <DeviceHealthTable devices={devices} zone={home.timezone} />
            <h2>{t('schedule.title')}</h2>
            <SchedulesEditor
              resident={resident}
              timezone={home.timezone}
              hasSpeaker={devices.some((d) => d.kind === 'speaker' || d.kind === 'alexa')}
            />
            <details>
              <summary>{t('resident.edit')}</summary>
              <ResidentForm resident={resident} onSaved={data.reload} />
            </details>
          </>
        )}
      </Loaded>
    </section>
  );
}

import type { CheckinItem, CheckinSchedule, Resident } from '@mimamori/contract';
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.js';
import { ErrorNote, Loaded, useLoad, valueOf } from '../components/common.js';
import { Field, useSave } from '../components/fields.js';
import { fieldErrorsOf } from '../components/fields.js';
import { t } from '../i18n/index.js';
import { day, clock, when } from '../time.js';

const PRESETS = { morning: '0 9 * * *', twice: '0 9,17 * * *' } as const;
type Preset = keyof typeof PRESETS | 'custom';
const ITEMS: CheckinItem[] = ['health', 'medication', 'sleep', 'meal'];
const presetOf = (cron: string): Preset =>
  (Object.keys(PRESETS) as (keyof typeof PRESETS)[]).find((p) => PRESETS[p] === cron) ?? 'custom';

/** A resident's check-in schedules: each with its next prompt, a form to add or change one, and removing one. */
export function SchedulesEditor({
  resident,
  timezone,
  hasSpeaker,
  onChanged,
}: {
  resident: Resident;
  timezone: string;
  hasSpeaker: boolean;
  onChanged?: (schedules: CheckinSchedule[]) => void;
}) {
  const schedules = useLoad(async () => {
    const answer = await call('GET /api/residents/:id/schedules', { params: { id: resident.id } });
    onChanged?.(answer.items);
    return answer.items;
  }, [resident.id]);
  const [editing, setEditing] = useState<CheckinSchedule | 'new' | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const remove = async (schedule: CheckinSchedule) => {
    try {
      await call('DELETE /api/schedules/:id', { params: { id: schedule.id } });
      void schedules.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div class="stack">
      {!hasSpeaker && <p class="caution">{t('schedule.noSpeaker')}</p>}
      <ErrorNote error={error} />
      <Loaded data={schedules.data} error={schedules.error}>
        {(items) =>
          items.length === 0 ? (
            <p class="muted">{t('schedule.none')}</p>
          ) : (
            <ul class="plain schedules">
              {items.map((s) => (
                <li key={s.id}>
                  <strong>{describeCron(s.cron)}</strong>（{s.timezone}）{' '}
                  {s.pausedUntil
                    ? t('schedule.pausedUntil', { at: when(s.pausedUntil, s.timezone) })
                    : s.nextDueAt && t('schedule.next', { at: when(s.nextDueAt, s.timezone) })}{' '}
                  <button type="button" class="link" onClick={() => setEditing(s)}>
                    {t('app.edit')}
                  </button>
                  <button type="button" class="link" onClick={() => void remove(s)}>
                    {t('schedule.remove')}
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      {editing ? (
        <ScheduleForm
          key={editing === 'new' ? 'new' : editing.id}
          resident={resident}
          timezone={timezone}
          schedule={editing === 'new' ? undefined : editing}
          onDone={() => {
            setEditing(undefined);
            void schedules.reload();
          }}
        />
      ) : (
        <button type="button" class="secondary" onClick={() => setEditing('new')}>
          {t('schedule.add')}
        </button>
      )}
    </div>
  );
}

/** A daily cron (`30 8,17 * * *`) as its times, 「毎日 8:30・17:30」; another as itself. */
const DAILY = /^(\d{1,2}) (\d{1,2}(?:,\d{1,2})*) \* \* \*$/;

/** 「毎朝9時」 for a preset, 「毎日 13:15」 for another daily time, else the cron itself. */
const describeCron = (cron: string): string => {
  const preset = presetOf(cron);
  if (preset !== 'custom') return t(`schedule.presets.${preset}`);
  const [, minute, hours] = DAILY.exec(cron) ?? [];
  if (!minute || !hours) return cron;
  return t('schedule.daily', {
    times: hours
      .split(',')
      .map((h) => `${Number(h)}:${minute.padStart(2, '0')}`)
      .join('・'),
  });
};

function ScheduleForm({
  resident,
  timezone,
  schedule,
  onDone,
}: {
  resident: Resident;
  timezone: string;
  schedule: CheckinSchedule | undefined;
  onDone: () => void;
}) {
  const save = useSave();
  const [preset, setPreset] = useState<Preset>(schedule ? presetOf(schedule.cron) : 'morning');
  const [cron, setCron] = useState(schedule?.cron ?? PRESETS.morning);
  const [zone, setZone] = useState(schedule?.timezone ?? timezone);
  const [satisfiedBy, setSatisfiedBy] = useState(schedule?.satisfiedBy ?? 'answer');
  const preview = usePreview(cron, zone);
  const choose = (next: Preset) => {
    setPreset(next);
    if (next !== 'custom') setCron(PRESETS[next]);
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const number = (name: string) => Number(form.get(name));
    const body = {
      cron,
      timezone: zone,
      windowMinutes: number('windowMinutes'),
      reprompts: number('reprompts'),
      repromptEveryMinutes: number('repromptEveryMinutes'),
      items: ITEMS.filter((item) => form.has(`item-${item}`)),
      satisfiedBy,
      activityFrom: String(form.get('activityFrom') ?? '04:00'),
      voluntaryLeadMinutes: number('voluntaryLeadMinutes'),
    };
    const saved = await save.run(
      () =>
        schedule
          ? call('PATCH /api/schedules/:id', { params: { id: schedule.id }, body })
          : call('POST /api/residents/:id/schedules', { params: { id: resident.id }, body }),
      t('schedule.saved'),
    );
    if (saved) onDone();
  };
  const error = (name: string) => save.fields[`body.${name}`];
  return (
    <form class="stack schedule-form" onSubmit={submit}>
      <fieldset>
        <legend>{t('schedule.preset')}</legend>
        {(['morning', 'twice', 'custom'] as const).map((p) => (
          <label class="choice" key={p}>
            <input type="radio" name="preset" value={p} checked={preset === p} onChange={() => choose(p)} />{' '}
            {t(`schedule.presets.${p}`)}
          </label>
        ))}
      </fieldset>
      {preset === 'custom' && (
        <Field label={t('schedule.cron')} hint={t('schedule.cronHelp')} error={error('cron') ?? preview.error}>
          <input name="cron" value={cron} onInput={(e) => setCron(valueOf(e))} required class="code" />
        </Field>
      )}
      <Field label={t('schedule.timezone')} error={error('timezone')}>
        <input name="timezone" value={zone} onInput={(e) => setZone(valueOf(e))} required />
      </Field>
      <div class="preview" aria-live="polite">
        <h4>{t('schedule.preview', { tz: zone })}</h4>
        {preview.times.length === 0 ? (
          <p class="muted">{t('schedule.previewNone')}</p>
        ) : (
          <ol class="plain">
            {preview.times.map((at) => (
              <li key={at}>
                {day(at, zone)} {clock(at, zone)}
              </li>
            ))}
          </ol>
        )}
      </div>
      <div class="grid">
        <Field label={t('schedule.window')} error={error('windowMinutes')}>
          <input name="windowMinutes" type="number" min={1} max={1440} defaultValue={schedule?.windowMinutes ?? 60} />
        </Field>
        <Field label={t('schedule.reprompts')} error={error('reprompts')}>
          <input name="reprompts" type="number" min={0} max={10} defaultValue={schedule?.reprompts ?? 2} />
        </Field>
        <Field label={t('schedule.repromptEvery')} error={error('repromptEveryMinutes')}>
          <input
            name="repromptEveryMinutes"
            type="number"
            min={1}
            max={1440}
            defaultValue={schedule?.repromptEveryMinutes ?? 20}
          />
        </Field>
        <Field label={t('schedule.voluntaryLead')} error={error('voluntaryLeadMinutes')}>
          <input
            name="voluntaryLeadMinutes"
            type="number"
            min={0}
            max={720}
            defaultValue={schedule?.voluntaryLeadMinutes ?? 120}
          />
        </Field>
      </div>
      <fieldset>
        <legend>{t('schedule.items')}</legend>
        {ITEMS.map((item) => (
          <label class="choice" key={item}>
            <input type="checkbox" name={`item-${item}`} defaultChecked={schedule?.items.includes(item) ?? false} />{' '}
            {t(`item.${item}`)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('schedule.satisfiedBy')}</legend>
        {(['answer', 'activity'] as const).map((way) => (
          <label class="choice" key={way}>
            <input
              type="radio"
              name="satisfiedBy"
              value={way}
              checked={satisfiedBy === way}
              onChange={() => setSatisfiedBy(way)}
            />{' '}
            {t(`satisfiedBy.${way}`)}
          </label>
        ))}
      </fieldset>
      {satisfiedBy === 'activity' && (
        <Field label={t('schedule.activityFrom')} error={error('activityFrom')}>
          <input name="activityFrom" type="time" defaultValue={schedule?.activityFrom ?? '04:00'} required />
        </Field>
      )}
      {save.outcome}
      <div class="row">
        <button class="primary" type="submit" disabled={save.busy}>
          {t('app.save')}
        </button>
        <button class="link" type="button" onClick={onDone}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The next five prompts of a cron in a zone, from the hub's own cron arithmetic, as it is typed. */
function usePreview(cron: string, timezone: string): { times: string[]; error: string | undefined } {
  const [result, setResult] = useState<{ times: string[]; error: string | undefined }>({ times: [], error: undefined });
  useEffect(() => {
    const timer = setTimeout(() => {
      call('POST /api/schedules/preview', { body: { cron, timezone } }).then(
        (answer) => setResult({ times: answer.times, error: undefined }),
        (e: unknown) => setResult({ times: [], error: Object.values(fieldErrorsOf(e))[0] }),
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [cron, timezone]);
  return result;
}

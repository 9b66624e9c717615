import type { Absence } from '@mimamori/contract';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from '../api.js';
import './words.js';
import { Loaded, StatusNote, TableHead, useLoad } from '../components/common.js';
import { Field, useSave } from '../components/fields.js';
import { t } from '../i18n/index.js';
import { browserZone, instantOf, localDate, localParts, when } from '../time.js';

/**
 * Every absence across homes, away now first by end, then those to come (issue 19 item 5):
 * who registered it, when it ends (with its year when that is another year), and extending it
 * or ending it now. An absence on the wrong home silently stops that home's watch, so this
 * list is one click from the board.
 */
export function AbsencesPage() {
  const absences = useLoad(() => call('GET /api/absences', { query: { upcoming: 'true' } }), []);
  const [note, setNote] = useState<string | undefined>(undefined);
  return (
    <section class="stack">
      <h1>{t('absences.title')}</h1>
      <p>{t('absences.lead')}</p>
      <StatusNote text={note} />
      <Loaded data={absences.data} error={absences.error}>
        {({ items }) =>
          items.length === 0 ? (
            <p class="muted">{t('absences.none')}</p>
          ) : (
            <table class="compact absences">
              <TableHead
                columns={[t('absences.home'), t('absences.reason'), t('absences.period'), t('absences.registeredBy')]}
                actions
              />
              <tbody>
                {items.map((absence) => (
                  <AbsenceRow
                    key={absence.id}
                    absence={absence}
                    onChanged={(text) => {
                      setNote(text);
                      void absences.reload();
                    }}
                  />
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </section>
  );
}

function AbsenceRow({ absence, onChanged }: { absence: Absence; onChanged: (note: string) => void }) {
  const [extending, setExtending] = useState(false);
  const save = useSave();
  const endNow = async () => {
    if (!confirm(t('absences.endNowConfirm', { home: absence.homeName }))) return;
    const ended = await save.run(() => call('DELETE /api/absences/:id', { params: { id: absence.id } }));
    if (ended) onChanged(t('absences.ended'));
  };
  return (
    <tr data-absence={absence.id} class={absence.active ? 'active' : 'upcoming'}>
      <td>
        <a href={`/homes/${absence.homeId}`}>{absence.homeName}</a>
        <br />
        <span class={`tag ${absence.active ? 'warning' : 'info'}`}>
          {absence.active ? t('absences.now') : t('absences.upcoming')}
        </span>
      </td>
      <td>
        {t(`absenceReason.${absence.reason}`)}
        {absence.note && <span class="muted">（{absence.note}）</span>}
      </td>
      <td>
        {when(absence.startsAt)} – <strong>{when(absence.endsAt)}</strong>
      </td>
      <td>
        {absence.createdBy}（{when(absence.createdAt)}）
      </td>
      <td class="actions">
        {extending ? (
          <ExtendForm absence={absence} onDone={(text) => (setExtending(false), onChanged(text))} />
        ) : (
          <>
            <button type="button" class="secondary" onClick={() => setExtending(true)}>
              {t('absences.extend')}
            </button>
            <button type="button" class="secondary" onClick={() => void endNow()}>
              {t('absences.endNow')}
            </button>
          </>
        )}
        {save.outcome}
      </td>
    </tr>
  );
}

/** A new end date; beyond the hub's bound the form asks why, and the hub records the confirmation. */
function ExtendForm({ absence, onDone }: { absence: Absence; onDone: (note: string) => void }) {
  const save = useSave();
  /** The hub's bound, once it has refused an end beyond it: then the form asks why. */
  const [bound, setBound] = useState<number | undefined>(undefined);
  useEffect(() => {
    if (save.error instanceof ApiError && save.error.problem === 'end_too_far')
      setBound(Number(save.error.params.maxDays));
  }, [save.error]);
  // An absence belongs to no one zone here: staff enter and read it in their office's.
  const zone = browserZone;
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const endsAt = instantOf(String(form.get('until')), '23:59', zone);
    const reason = String(form.get('longReason') ?? '').trim();
    const saved = await save.run(() =>
      call('PATCH /api/absences/:id', {
        params: { id: absence.id },
        body: { endsAt, ...(reason && { confirmLong: { reason } }) },
      }),
    );
    if (saved) onDone(t('absences.extended', { until: when(saved.endsAt) }));
  };
  return (
    <form class="stack" onSubmit={submit}>
      <Field label={t('absences.extendUntil')} error={bound === undefined ? save.fields['body.endsAt'] : undefined}>
        <input
          type="date"
          name="until"
          required
          min={localDate(zone, 1)}
          defaultValue={localParts(Date.parse(absence.endsAt) + 7 * 86_400_000, zone).date}
        />
      </Field>
      {bound !== undefined && (
        <Field label={t('absences.longReason')} hint={t('absences.longConfirm', { days: bound })}>
          <input name="longReason" required minLength={3} maxLength={500} />
        </Field>
      )}
      {save.submit()}
    </form>
  );
}

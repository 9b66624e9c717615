import type { ConsentMethod, Home, Language, Resident } from '@mimamori/contract';
import { call } from '../api.js';
import { Field, text, useSave } from '../components/fields.js';
import { t } from '../i18n/index.js';
import { jaEnums } from '../i18n/ja-enums.js';
import { instantOf, localParts } from '../time.js';

/** The home itself: what to call it, where it is, its time zone. Creates the home when there is none yet. */
export function HomeForm({ home, onSaved }: { home: Home | undefined; onSaved: (home: Home) => void }) {
  const save = useSave();
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const fields = {
      name: text(form, 'name') ?? '',
      address: text(form, 'address'),
      district: text(form, 'district'),
      timezone: text(form, 'timezone') ?? 'Asia/Tokyo',
    };
    const saved = await save.run(() =>
      home
        ? call('PATCH /api/homes/:id', { params: { id: home.id }, body: fields })
        : call('POST /api/homes', { body: fields }),
    );
    if (saved) onSaved(saved);
  };
  return (
    <form class="stack" onSubmit={submit}>
      <Field label={t('homeForm.name')} error={save.fields['body.name']}>
        <input name="name" required maxLength={200} defaultValue={home?.name ?? ''} />
      </Field>
      <Field label={t('homeForm.address')} error={save.fields['body.address']}>
        <input name="address" maxLength={500} defaultValue={home?.address ?? ''} autocomplete="street-address" />
      </Field>
      <Field label={t('homeForm.district')} error={save.fields['body.district']}>
        <input name="district" maxLength={100} defaultValue={home?.district ?? ''} />
      </Field>
      <Field label={t('homeForm.timezone')} hint={t('homeForm.timezoneHelp')} error={save.fields['body.timezone']}>
        <input name="timezone" defaultValue={home?.timezone ?? 'Asia/Tokyo'} />
      </Field>
      {save.submit()}
    </form>
  );
}

const METHODS = Object.keys(jaEnums.consentMethod) as ConsentMethod[];

/** What the resident agreed watchers may see, when and how the agreement was given; the hub records who entered it. */
export function ConsentForm({ home, onSaved }: { home: Home; onSaved: (home: Home) => void }) {
  const save = useSave();
  const { consent } = home;
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const date = text(form, 'recordedAt');
    const method = text(form, 'method') as ConsentMethod | undefined;
    const saved = await save.run(() =>
      call('PATCH /api/homes/:id', {
        params: { id: home.id },
        body: {
          consent: {
            health: form.has('health'),
            activity: form.has('activity'),
            medical: form.has('medical'),
            ...(date && { recordedAt: instantOf(date, '12:00', home.timezone) }),
            ...(method && { method }),
          },
        },
      }),
    );
    if (saved) onSaved(saved);
  };
  return (
    <form class="stack" onSubmit={submit}>
      <p>{t('consentForm.lead')}</p>
      <fieldset>
        <legend>{t('setup.steps.consent')}</legend>
        {(['health', 'activity', 'medical'] as const).map((kind) => (
          <label class="choice" key={kind}>
            <input type="checkbox" name={kind} defaultChecked={consent[kind]} /> {t(`consentForm.${kind}`)}
          </label>
        ))}
      </fieldset>
      <Field label={t('consentForm.recordedAt')} error={save.fields['body.consent.recordedAt']}>
        <input
          type="date"
          name="recordedAt"
          required
          defaultValue={consent.recordedAt ? localParts(consent.recordedAt, home.timezone).date : ''}
        />
      </Field>
      <Field label={t('consentForm.method')}>
        <select name="method" required>
          <option value="" disabled selected={!consent.method}>
            —
          </option>
          {METHODS.map((method) => (
            <option key={method} value={method} selected={method === consent.method}>
              {t(`consentMethod.${method}`)}
            </option>
          ))}
        </select>
      </Field>
      {consent.recordedBy && <p class="muted">{t('consentForm.recordedBy', { name: consent.recordedBy })}</p>}
      {save.submit()}
    </form>
  );
}

/** What the person at the door needs: who has a key (and their phone), whether they may enter, notes. */
export function PlanForm({ home, onSaved }: { home: Home; onSaved: (home: Home) => void }) {
  const save = useSave();
  const plan = home.responsePlan;
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const [keyHolder, keyHolderPhone, medicalNotes, notes] = [
      'keyHolder',
      'keyHolderPhone',
      'medicalNotes',
      'notes',
    ].map((name) => text(form, name));
    const saved = await save.run(() =>
      call('PATCH /api/homes/:id', {
        params: { id: home.id },
        body: {
          responsePlan: {
            entryConsent: form.has('entryConsent'),
            ...(keyHolder && { keyHolder }),
            ...(keyHolderPhone && { keyHolderPhone }),
            ...(medicalNotes && { medicalNotes }),
            ...(notes && { notes }),
          },
        },
      }),
    );
    if (saved) onSaved(saved);
  };
  const error = (name: string) => save.fields[`body.responsePlan.${name}`];
  return (
    <form class="stack" onSubmit={submit}>
      <Field label={t('planForm.keyHolder')} error={error('keyHolder')}>
        <input name="keyHolder" maxLength={200} defaultValue={plan.keyHolder ?? ''} />
      </Field>
      <Field label={t('planForm.keyHolderPhone')} error={error('keyHolderPhone')}>
        <input name="keyHolderPhone" type="tel" autocomplete="off" defaultValue={plan.keyHolderPhone ?? ''} />
      </Field>
      <label class="choice">
        <input type="checkbox" name="entryConsent" defaultChecked={plan.entryConsent} /> {t('planForm.entryConsent')}
      </label>
      <Field label={t('planForm.medicalNotes')} error={error('medicalNotes')}>
        <textarea name="medicalNotes" rows={3} maxLength={1000} defaultValue={plan.medicalNotes ?? ''} />
      </Field>
      <Field label={t('planForm.notes')} error={error('notes')}>
        <textarea name="notes" rows={3} maxLength={1000} defaultValue={plan.notes ?? ''} />
      </Field>
      {save.submit()}
    </form>
  );
}

/** The people who live in the home: listed, with a form to add one. */
export function ResidentsEditor({
  homeId,
  residents,
  onChanged,
}: {
  homeId: string;
  residents: readonly Resident[];
  onChanged: () => void;
}) {
  const save = useSave();
  const submit = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const created = await save.run(() =>
      call('POST /api/homes/:id/residents', {
        params: { id: homeId },
        body: {
          name: text(form, 'name') ?? '',
          reading: text(form, 'reading') ?? null,
          language: form.get('language') as Language,
          missTolerance: Number(form.get('missTolerance')),
        },
      }),
    );
    if (created) {
      formElement.reset();
      onChanged();
    }
  };
  return (
    <div class="stack">
      {residents.length === 0 ? (
        <p class="muted">{t('residentForm.none')}</p>
      ) : (
        <ul class="plain">
          {residents.map((r) => (
            <li key={r.id}>
              <a href={`/residents/${r.id}`}>{t('residentForm.open', { name: r.name })}</a>（
              {r.reading && `${r.reading}、`}
              {t(`language.${r.language}`)}、
              {r.missTolerance === 1
                ? t('residentForm.missToleranceOnce')
                : t('residentForm.missToleranceValue', { count: r.missTolerance })}
              ）
            </li>
          ))}
        </ul>
      )}
      <form class="stack" onSubmit={submit}>
        <h3>{t('residentForm.add')}</h3>
        <Field label={t('residentForm.name')} error={save.fields['body.name']}>
          <input name="name" required maxLength={200} />
        </Field>
        <Field
          label={t('residentForm.reading')}
          hint={t('residentForm.readingHelp')}
          error={save.fields['body.reading']}
        >
          <input name="reading" maxLength={200} lang="ja" />
        </Field>
        <Field label={t('residentForm.language')}>
          <select name="language">
            <option value="ja">{t('language.ja')}</option>
            <option value="en">{t('language.en')}</option>
          </select>
        </Field>
        <Field label={t('residentForm.missTolerance')} error={save.fields['body.missTolerance']}>
          <input name="missTolerance" type="number" min={1} max={14} defaultValue={1} required />
        </Field>
        {save.submit(t('residentForm.add'), 'secondary')}
      </form>
    </div>
  );
}

/** One resident's name, its reading, the speaker's language and how many misses make an alert. */
export function ResidentForm({ resident, onSaved }: { resident: Resident; onSaved: (resident: Resident) => void }) {
  const save = useSave();
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const saved = await save.run(() =>
      call('PATCH /api/homes/:id/residents/:residentId', {
        params: { id: resident.homeId, residentId: resident.id },
        body: {
          name: text(form, 'name') ?? '',
          reading: text(form, 'reading') ?? null,
          language: form.get('language') as Language,
          missTolerance: Number(form.get('missTolerance')),
        },
      }),
    );
    if (saved) onSaved(saved);
  };
  return (
    <form class="stack" onSubmit={submit}>
      <Field label={t('residentForm.name')} error={save.fields['body.name']}>
        <input name="name" required maxLength={200} defaultValue={resident.name} />
      </Field>
      <Field label={t('residentForm.reading')} hint={t('residentForm.readingHelp')} error={save.fields['body.reading']}>
        <input name="reading" maxLength={200} lang="ja" defaultValue={resident.reading ?? ''} />
      </Field>
      <Field label={t('residentForm.language')}>
        <select name="language" defaultValue={resident.language}>
          <option value="ja">{t('language.ja')}</option>
          <option value="en">{t('language.en')}</option>
        </select>
      </Field>
      <Field label={t('residentForm.missTolerance')} error={save.fields['body.missTolerance']}>
        <input name="missTolerance" type="number" min={1} max={14} defaultValue={resident.missTolerance} required />
      </Field>
      {save.outcome}
      <button type="submit" disabled={save.busy}>
        {t('app.save')}
      </button>
    </form>
  );
}

import { lazy, Suspense } from 'preact/compat';
import { useEffect, useState } from 'preact/hooks';
import type { AbsenceReason, HomeOverview, User } from '@mimamori/contract';
import { call, ApiError } from '../api.js';
import { errorText } from '../problems.js';
import { ABSENCE_WORDS, CHECKIN_WORDS, lang, t, when } from '../i18n.js';

// Staff see more of a home (devices, network editor, charts); that part loads only for them.
const StaffHomeDetails = lazy(() => import('./staff-home.js').then((m) => ({ default: m.StaffHomeDetails })));

/** A home as this user may see it (the API cuts it to the resident's consent); a refusal says why. */
export function HomePage({ homeId, user }: { homeId: string; user: User }) {
  const [overview, setOverview] = useState<HomeOverview | undefined>(undefined);
  const [refused, setRefused] = useState(false);
  const [error, setError] = useState('');
  const load = () =>
    call('GET /api/homes/:id/overview', { params: { id: homeId } }).then(setOverview, (e: unknown) => {
      if (e instanceof ApiError && e.status === 403) setRefused(true);
      else setError(errorText(e));
    });
  useEffect(() => void load(), [homeId]);

  if (refused)
    return (
      <p class="error" role="alert">
        {t('notInNetwork')}
      </p>
    );
  if (error)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (!overview) return <p class="muted">{t('loading')}</p>;
  const { home, responsePlan: plan } = overview;
  return (
    <section class="stack">
      <h1>{home.name}</h1>
      <dl class="facts">
        {home.address && (
          <>
            <dt>{t('address')}</dt>
            <dd>
              {home.address}{' '}
              <a
                class="button-link"
                href={`https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(home.address)}`}
                target="_blank"
                rel="noopener"
              >
                {t('map')}
              </a>
            </dd>
          </>
        )}
        {plan.keyHolder && (
          <>
            <dt>{t('keyHolder')}</dt>
            <dd>{plan.keyHolder}</dd>
          </>
        )}
        <dt>{plan.entryConsent ? '✔' : '✖'}</dt>
        <dd>{plan.entryConsent ? t('entryYes') : t('entryNo')}</dd>
        {plan.notes && (
          <>
            <dt>📝</dt>
            <dd>{plan.notes}</dd>
          </>
        )}
        {plan.medicalNotes && (
          <>
            <dt>{t('medicalNotes')}</dt>
            <dd>{plan.medicalNotes}</dd>
          </>
        )}
      </dl>

      <h2>{t('watchers')}</h2>
      <ul class="plain">
        {overview.watchers.map((w) => (
          <li key={`${w.tier}-${w.displayName}`}>
            {lang() === 'ja' ? `第${w.tier}段階` : `Tier ${w.tier}`}（{w.tierName}）:{' '}
            {w.affiliation ? `${w.affiliation} ` : ''}
            {w.displayName}
          </li>
        ))}
      </ul>

      <h2>{t('absences')}</h2>
      {overview.absences.length === 0 ? (
        <p class="muted">{t('noAbsence')}</p>
      ) : (
        <ul class="plain">
          {overview.absences.map((a) => (
            <li key={a.id}>
              {when(a.startsAt)} – {when(a.endsAt)}
              {a.reason ? `（${ABSENCE_WORDS[a.reason][lang()]}）` : ''}
            </li>
          ))}
        </ul>
      )}
      <AbsenceForm homeId={home.id} onSaved={() => void load()} />

      <h2>{t('recentCheckins')}</h2>
      {overview.recentCheckins === null ? (
        <p class="muted">{t('notShared')}</p>
      ) : overview.recentCheckins.length === 0 ? (
        <p class="muted">{t('noCheckins')}</p>
      ) : (
        <ul class="plain">
          {overview.recentCheckins
            .slice(-7)
            .reverse()
            .map((c) => (
              <li key={c.dueAt}>
                {when(c.dueAt)}: {CHECKIN_WORDS[c.answer ?? c.outcome][lang()]}
              </li>
            ))}
        </ul>
      )}

      <h2>{t('activity')}</h2>
      {overview.activityByHour === null ? (
        <p class="muted">{t('notShared')}</p>
      ) : (
        <ActivityBars hours={overview.activityByHour} />
      )}
      {(user.role === 'staff' || user.role === 'admin') && (
        <Suspense fallback={<p class="muted">{t('loading')}</p>}>
          <StaffHomeDetails overview={overview} />
        </Suspense>
      )}
    </section>
  );
}

function AbsenceForm({ homeId, onSaved }: { homeId: string; onSaved: () => void }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState('');
  if (!open)
    return (
      <button class="secondary" onClick={() => setOpen(true)}>
        {t('registerAbsence')}
      </button>
    );
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const until = new Date(`${String(form.get('until'))}T23:59:00`);
    try {
      await call('POST /api/homes/:id/absences', {
        params: { id: homeId },
        body: { reason: form.get('reason') as AbsenceReason, endsAt: until.toISOString() },
      });
      setOpen(false);
      onSaved();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <form class="stack" onSubmit={submit}>
      <label>
        {t('absenceReason')}
        <select name="reason" required>
          {(Object.keys(ABSENCE_WORDS) as AbsenceReason[]).map((reason) => (
            <option key={reason} value={reason}>
              {ABSENCE_WORDS[reason][lang()]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('absenceUntil')}
        <input type="date" name="until" required min={new Date().toISOString().slice(0, 10)} />
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="row">
        <button class="primary" type="submit">
          {t('save')}
        </button>
        <button class="link" type="button" onClick={() => setOpen(false)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

/** Events per hour over the week as plain SVG bars: light enough for an old phone. */
function ActivityBars({ hours }: { hours: HomeOverview['activityByHour'] & object }) {
  const max = Math.max(1, ...hours.map((h) => h.count));
  const width = 2;
  return (
    <svg
      class="activity"
      viewBox={`0 0 ${hours.length * width} 40`}
      preserveAspectRatio="none"
      role="img"
      aria-label={t('activity')}
    >
      {hours.map((h, i) => (
        <rect
          key={h.hour}
          x={i * width}
          y={40 - (h.count / max) * 40}
          width={width - 0.3}
          height={(h.count / max) * 40}
        />
      ))}
    </svg>
  );
}

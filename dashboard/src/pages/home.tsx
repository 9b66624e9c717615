import type { AbsenceReason, HomeOverview, User } from '@mimamori/contract';
import { useState } from 'preact/hooks';
import { ApiError, call } from '../api.js';
import { ErrorNote, Loading, StatusNote, useLoad } from '../components/common.js';
import { lang, t } from '../i18n/index.js';
import { jaEnums } from '../i18n/ja-enums.js';
import { clock, day, instantOf, localDate, when } from '../time.js';

const REASONS = Object.keys(jaEnums.absenceReason) as AbsenceReason[];

/** A home as this user may see it (the API cuts it to the resident's consent); a refusal says why. */
export function HomePage({ homeId, user }: { homeId: string; user: User }) {
  const overview = useLoad(() => call('GET /api/homes/:id/overview', { params: { id: homeId } }), [homeId]);
  // Staff see more of a home (where to change it, devices, residents, the alert history); that part loads only for them.
  const isStaff = user.role === 'staff' || user.role === 'admin';
  const staff = useLoad(() => (isStaff ? import('../staff/home-details.js') : Promise.resolve(undefined)), [isStaff]);
  if (overview.error instanceof ApiError && overview.error.status === 403)
    return <ErrorNote error={t('home.notInNetwork')} />;
  if (overview.error !== undefined) return <ErrorNote error={overview.error} />;
  if (!overview.data) return <Loading />;
  const { home, responsePlan: plan } = overview.data;
  const zone = home.timezone;
  return (
    <section class="stack">
      <h1>{home.name}</h1>
      {staff.data && <staff.data.StaffHomeActions homeId={home.id} />}
      <dl class="facts">
        {home.residents.length > 0 && (
          <>
            <dt>{t('home.residents')}</dt>
            <dd>
              {home.residents
                .map((r) => `${t('alerts.resident', { name: r.name })}${r.reading ? `（${r.reading}）` : ''}`)
                .join(lang() === 'ja' ? '、' : ', ')}
            </dd>
          </>
        )}
        {home.district && (
          <>
            <dt>{t('home.district')}</dt>
            <dd>{home.district}</dd>
          </>
        )}
        {home.address && (
          <>
            <dt>{t('home.address')}</dt>
            <dd>
              {home.address}{' '}
              <a
                class="button-link"
                href={`https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(home.address)}`}
                target="_blank"
                rel="noopener"
              >
                {t('home.map')}
              </a>
            </dd>
          </>
        )}
        {(plan.keyHolder || plan.keyHolderPhone) && (
          <>
            <dt>{t('home.keyHolder')}</dt>
            <dd>
              {plan.keyHolder}{' '}
              {plan.keyHolderPhone && (
                <a class="button-link" href={`tel:${plan.keyHolderPhone.replaceAll(/[^\d+]/g, '')}`}>
                  {t('home.call', { phone: plan.keyHolderPhone })}
                </a>
              )}
            </dd>
          </>
        )}
        <dt>{plan.entryConsent ? '✔' : '✖'}</dt>
        <dd>{plan.entryConsent ? t('home.entryYes') : t('home.entryNo')}</dd>
        {plan.notes && (
          <>
            <dt>{t('home.notes')}</dt>
            <dd>{plan.notes}</dd>
          </>
        )}
        {plan.medicalNotes && (
          <>
            <dt>{t('home.medicalNotes')}</dt>
            <dd>{plan.medicalNotes}</dd>
          </>
        )}
      </dl>

      <h2>{t('home.watchers')}</h2>
      <ul class="plain">
        {overview.data.watchers.map((w) => (
          <li key={`${w.tier}-${w.displayName}`}>
            {t('home.tier', { n: w.tier, name: w.tierName })}: {w.affiliation ? `${w.affiliation} ` : ''}
            {w.displayName}
          </li>
        ))}
      </ul>

      <h2>{t('home.absences')}</h2>
      {overview.data.absences.length === 0 ? (
        <p class="muted">{t('home.noAbsence')}</p>
      ) : (
        <ul class="plain">
          {overview.data.absences.map((a) => (
            <li key={a.id}>
              {when(a.startsAt, zone)} – {when(a.endsAt, zone)}
              {a.reason ? `（${t(`absenceReason.${a.reason}`)}）` : ''}
            </li>
          ))}
        </ul>
      )}
      <AbsenceForm homeId={home.id} zone={zone} onSaved={() => void overview.reload()} />

      <h2>{t('home.recentCheckins')}</h2>
      {overview.data.recentCheckins === null ? (
        <p class="muted">{t('home.notShared')}</p>
      ) : overview.data.recentCheckins.length === 0 ? (
        <p class="muted">{t('home.noCheckins')}</p>
      ) : (
        <ul class="plain">
          {overview.data.recentCheckins
            .slice(-7)
            .reverse()
            .map((c) => (
              <li key={c.dueAt}>
                {day(c.dueAt, zone)} {clock(c.dueAt, zone)}: {t(`checkin.${c.answer ?? c.outcome}`)}
              </li>
            ))}
        </ul>
      )}

      <h2>{t('home.activity')}</h2>
      {overview.data.activityByHour === null ? (
        <p class="muted">{t('home.notShared')}</p>
      ) : (
        <ActivityBars hours={overview.data.activityByHour} />
      )}
      {staff.data && <staff.data.StaffHomeDetails overview={overview.data} />}
    </section>
  );
}

/** Registering an absence, always with an end, as the neighbour who heard of a hospital stay does. */
function AbsenceForm({ homeId, zone, onSaved }: { homeId: string; zone: string; onSaved: () => void }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  if (!open)
    return (
      <>
        <button class="secondary" onClick={() => setOpen(true)}>
          {t('home.registerAbsence')}
        </button>
        <StatusNote text={saved} />
      </>
    );
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    try {
      await call('POST /api/homes/:id/absences', {
        params: { id: homeId },
        body: {
          reason: form.get('reason') as AbsenceReason,
          endsAt: instantOf(String(form.get('until')), '23:59', zone),
        },
      });
      setOpen(false);
      setSaved(t('home.absenceRegistered'));
      onSaved();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form class="stack" onSubmit={submit}>
      <label>
        {t('home.absenceReason')}
        <select name="reason" required>
          {REASONS.map((reason) => (
            <option key={reason} value={reason}>
              {t(`absenceReason.${reason}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('home.absenceUntil')}
        <input type="date" name="until" required min={localDate(zone)} />
      </label>
      <ErrorNote error={error} />
      <div class="row">
        <button class="primary" type="submit">
          {t('alerts.record')}
        </button>
        <button class="link" type="button" onClick={() => setOpen(false)}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Events per hour over the week as plain SVG bars: light enough for an old phone. */
function ActivityBars({ hours }: { hours: NonNullable<HomeOverview['activityByHour']> }) {
  const max = Math.max(1, ...hours.map((h) => h.count));
  const width = 2;
  return (
    <svg
      class="activity"
      viewBox={`0 0 ${hours.length * width} 40`}
      preserveAspectRatio="none"
      role="img"
      aria-label={t('home.activity')}
      lang={lang()}
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

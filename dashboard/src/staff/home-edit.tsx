import { call } from '../api.js';
import './words.js';
import { Loaded, useLoad } from '../components/common.js';
import { t } from '../i18n/index.js';
import { ConsentForm, HomeForm, PlanForm, ResidentsEditor } from './home-forms.js';

/** Changing a home after it was set up: the home, who lives there, the consent record, the door. */
export function HomeEditPage({ id }: { id: string }) {
  const data = useLoad(
    () =>
      Promise.all([
        call('GET /api/homes/:id', { params: { id } }),
        call('GET /api/homes/:id/residents', { params: { id } }).then((r) => r.items),
      ]),
    [id],
  );
  return (
    <section class="stack">
      <Loaded data={data.data} error={data.error}>
        {([home, residents]) => (
          <>
            <p>
              <a href={`/homes/${home.id}`}>{home.name}</a>
            </p>
            <h1>
              {t('app.edit')}: {home.name}
            </h1>
            <h2>{t('setup.steps.home')}</h2>
            <HomeForm home={home} onSaved={() => void data.reload()} />
            <h2>{t('residentForm.title')}</h2>
            <ResidentsEditor homeId={home.id} residents={residents} onChanged={() => void data.reload()} />
            <h2>{t('setup.steps.consent')}</h2>
            <ConsentForm home={home} onSaved={() => void data.reload()} />
            <h2>{t('setup.steps.plan')}</h2>
            <PlanForm home={home} onSaved={() => void data.reload()} />
          </>
        )}
      </Loaded>
    </section>
  );
}

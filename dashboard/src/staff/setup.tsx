import type { Home } from '@mimamori/contract';
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { Loaded } from '../components/common.js';
import './words.js';
import { t } from '../i18n/index.js';
import { DevicesEditor } from './devices.js';
import { ConsentForm, HomeForm, PlanForm, ResidentsEditor } from './home-forms.js';
import { NetworkEditor } from './network.js';
import { SchedulesEditor } from './schedules.js';
import { SETUP_STEPS, useSetupState, type SetupStep } from './setup-state.js';

/** Step 1 of setting up a home: the home itself; the rest follows on its own page. */
export function NewHomePage() {
  const { route } = useLocation();
  return (
    <section class="stack setup">
      <h1>{t('setup.newTitle')}</h1>
      <p>{t('setup.lead')}</p>
      <StepList current="home" done={new Set()} homeId={undefined} />
      <h2>{t('setup.steps.home')}</h2>
      <HomeForm home={undefined} onSaved={(home) => route(`/homes/${home.id}/setup?step=residents`)} />
    </section>
  );
}

/**
 * Setting up a home from zero in one guided flow (issue 19 item 1): one step at a time, each
 * saved as it is made, so the flow can be left and resumed; it opens at the first step not done.
 */
export function SetupPage({ id, query }: { id: string; query?: Record<string, string> }) {
  const state = useSetupState(id);
  const { route } = useLocation();
  const asked = query?.step as SetupStep | undefined;
  return (
    <section class="stack setup">
      <Loaded data={state.data} error={state.error}>
        {(s) => {
          const current = asked && SETUP_STEPS.includes(asked) ? asked : s.firstMissing;
          const next = () => {
            const index = SETUP_STEPS.indexOf(current);
            route(`/homes/${id}/setup?step=${SETUP_STEPS[Math.min(index + 1, SETUP_STEPS.length - 1)]}`);
            void state.reload();
          };
          return (
            <>
              <h1>
                {t('setup.title')}: {s.home.name}
              </h1>
              <p>{t('setup.lead')}</p>
              <StepList current={current} done={s.done} homeId={id} />
              <h2 id="step-title">
                {t('setup.step', { n: SETUP_STEPS.indexOf(current) + 1, total: SETUP_STEPS.length })}{' '}
                {t(`setup.steps.${current}`)}
              </h2>
              <StepBody step={current} state={s} onSaved={() => void state.reload()} />
              {current !== 'done' && (
                <button type="button" class="primary next" onClick={next}>
                  {t('app.next')}
                </button>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function StepBody({
  step,
  state,
  onSaved,
}: {
  step: SetupStep;
  state: NonNullable<ReturnType<typeof useSetupState>['data']>;
  onSaved: () => void;
}) {
  const { home, residents } = state;
  const [hasSpeaker, setHasSpeaker] = useState(state.devices.some((d) => d.kind === 'speaker' || d.kind === 'alexa'));
  switch (step) {
    case 'home':
      return <HomeForm home={home} onSaved={onSaved} />;
    case 'residents':
      return <ResidentsEditor homeId={home.id} residents={residents} onChanged={onSaved} />;
    case 'consent':
      return <ConsentForm home={home} onSaved={onSaved} />;
    case 'plan':
      return <PlanForm home={home} onSaved={onSaved} />;
    case 'devices':
      return (
        <DevicesEditor
          home={home}
          onChanged={(devices) => setHasSpeaker(devices.some((d) => d.kind === 'speaker' || d.kind === 'alexa'))}
        />
      );
    case 'schedule':
      return (
        <>
          {residents.map((resident) => (
            <section key={resident.id} class="stack">
              <h3>{resident.name}</h3>
              <SchedulesEditor
                resident={resident}
                timezone={home.timezone}
                hasSpeaker={hasSpeaker}
                onChanged={onSaved}
              />
            </section>
          ))}
        </>
      );
    case 'network':
      return <NetworkEditor homeId={home.id} onSaved={onSaved} />;
    case 'done':
      return <Finished home={home} missing={SETUP_STEPS.filter((s) => s !== 'done' && !state.done.has(s))} />;
  }
}

function Finished({ home, missing }: { home: Home; missing: SetupStep[] }) {
  return (
    <div class="stack">
      {missing.length === 0 ? (
        <p class="calm" role="status">
          {t('setup.finished')}
        </p>
      ) : (
        <p class="caution">{t('setup.missing', { steps: missing.map((s) => t(`setup.steps.${s}`)).join('、') })}</p>
      )}
      <a class="button-link" href={`/homes/${home.id}`}>
        {t('setup.toHome')}
      </a>
    </div>
  );
}

/** The steps as a list of links, the current one marked, the finished ones ticked. */
function StepList({
  current,
  done,
  homeId,
}: {
  current: SetupStep;
  done: ReadonlySet<SetupStep>;
  homeId: string | undefined;
}) {
  return (
    <nav aria-label={t('setup.title')}>
      <ol class="steps">
        {SETUP_STEPS.map((step, index) => {
          const label = `${index + 1}. ${t(`setup.steps.${step}`)}${done.has(step) ? `（${t('setup.stepDone')}）` : ''}`;
          return (
            <li key={step} class={`${step === current ? 'current' : ''} ${done.has(step) ? 'done' : ''}`}>
              {homeId ? (
                <a href={`/homes/${homeId}/setup?step=${step}`} aria-current={step === current ? 'step' : undefined}>
                  {label}
                </a>
              ) : (
                <span aria-current={step === current ? 'step' : undefined}>{label}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

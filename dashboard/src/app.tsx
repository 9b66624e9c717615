import type { User } from '@mimamori/contract';
import { ErrorBoundary, LocationProvider, Route, Router, lazy } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from './api.js';
import { ErrorNote, Loading } from './components/common.js';
import { setLang, t, useLang } from './i18n/index.js';
import { AlertsPage } from './pages/alerts.js';
import { HomePage } from './pages/home.js';
import { LoginPage } from './pages/login.js';

// Staff pages (forms, charts, QR codes) load only for staff, so a volunteer's phone downloads little.
const StaffBoard = lazy(() => import('./staff/board.js').then((m) => m.StaffBoard));
const NewHomePage = lazy(() => import('./staff/setup.js').then((m) => m.NewHomePage));
const SetupPage = lazy(() => import('./staff/setup.js').then((m) => m.SetupPage));
const HomeEditPage = lazy(() => import('./staff/home-edit.js').then((m) => m.HomeEditPage));
const DevicesPage = lazy(() => import('./staff/devices.js').then((m) => m.DevicesPage));
const NetworkPage = lazy(() => import('./staff/network.js').then((m) => m.NetworkPage));
const ResidentPage = lazy(() => import('./staff/resident.js').then((m) => m.ResidentPage));
const AbsencesPage = lazy(() => import('./staff/absences.js').then((m) => m.AbsencesPage));
const RulesPage = lazy(() => import('./staff/rules.js').then((m) => m.RulesPage));
const PeoplePage = lazy(() => import('./staff/people.js').then((m) => m.PeoplePage));
const ReportsPage = lazy(() => import('./staff/reports.js').then((m) => m.ReportsPage));
const AuditPage = lazy(() => import('./staff/audit.js').then((m) => m.AuditPage));

type Session = { state: 'loading' } | { state: 'failed' } | { state: 'out' } | { state: 'in'; user: User };

/** The logged-in user, or why there is none: a hub that cannot be reached is not a logged-out user. */
function useSession() {
  const [session, setSession] = useState<Session>({ state: 'loading' });
  const check = () =>
    call('GET /api/me').then(
      (me) => setSession({ state: 'in', user: me.user }),
      (error: unknown) =>
        setSession(error instanceof ApiError && error.status === 401 ? { state: 'out' } : { state: 'failed' }),
    );
  useEffect(() => void check(), []);
  return { session, setSession, check };
}

export function App() {
  useLang();
  const { session, setSession, check } = useSession();
  if (session.state === 'loading') return <Loading />;
  if (session.state === 'failed')
    return (
      <main class="narrow">
        <ErrorNote error={t('app.meFailed')} />
        <button class="primary" onClick={() => void check()}>
          {t('app.retry')}
        </button>
      </main>
    );
  if (session.state === 'out') return <LoginPage onLogin={(user) => setSession({ state: 'in', user })} />;
  const { user } = session;
  const staff = user.role === 'staff' || user.role === 'admin';
  return (
    <LocationProvider>
      <a class="skip" href="#main">
        {t('app.skipToContent')}
      </a>
      <header class={`top ${staff ? 'staff' : 'watcher'}`}>
        <a class="brand" href="/">
          {t('app.name')}
        </a>
        <nav aria-label={t('app.mainNavigation')}>
          <a href="/">{t('nav.alerts')}</a>
          {staff && <a href="/board">{t('nav.board')}</a>}
          {staff && <a href="/absences">{t('nav.absences')}</a>}
          {staff && <a href="/rules">{t('nav.rules')}</a>}
          {staff && <a href="/reports">{t('nav.reports')}</a>}
          {staff && <a href="/people">{t('nav.people')}</a>}
          {user.role === 'admin' && <a href="/audit">{t('nav.audit')}</a>}
        </nav>
        <span class="who">{user.displayName}</span>
        <button class="link" lang={t('app.switchLanguage') === 'English' ? 'en' : 'ja'} onClick={toggleLanguage}>
          {t('app.switchLanguage')}
        </button>
        <button
          class="link"
          onClick={async () => {
            await call('POST /api/auth/logout');
            setSession({ state: 'out' });
          }}
        >
          {t('app.logout')}
        </button>
      </header>
      <main id="main" class={staff ? 'wide' : 'narrow'}>
        <ErrorBoundary>
          <Router>
            <Route path="/" component={() => <AlertsPage user={user} />} />
            <Route path="/alerts/:id" component={({ id }: { id: string }) => <AlertsPage user={user} focus={id} />} />
            <Route path="/homes/new" component={staff ? NewHomePage : Forbidden} />
            <Route path="/homes/:id/setup" component={staff ? SetupPage : Forbidden} />
            <Route path="/homes/:id/edit" component={staff ? HomeEditPage : Forbidden} />
            <Route path="/homes/:id/devices" component={staff ? DevicesPage : Forbidden} />
            <Route path="/homes/:id/network" component={staff ? NetworkPage : Forbidden} />
            <Route path="/homes/:id" component={({ id }: { id: string }) => <HomePage homeId={id} user={user} />} />
            <Route path="/residents/:id" component={staff ? ResidentPage : Forbidden} />
            <Route path="/board" component={staff ? StaffBoard : Forbidden} />
            <Route path="/absences" component={staff ? AbsencesPage : Forbidden} />
            <Route path="/rules/:id?" component={staff ? RulesPage : Forbidden} />
            <Route path="/reports" component={staff ? ReportsPage : Forbidden} />
            <Route path="/people" component={staff ? () => <PeoplePage me={user} /> : Forbidden} />
            <Route path="/audit" component={user.role === 'admin' ? AuditPage : Forbidden} />
            <Route default component={() => <AlertsPage user={user} />} />
          </Router>
        </ErrorBoundary>
      </main>
    </LocationProvider>
  );
}

const toggleLanguage = () => setLang(t('app.switchLanguage') === 'English' ? 'en' : 'ja');

function Forbidden() {
  return <ErrorNote error={t('app.forbidden')} />;
}

import { render } from 'preact';
import { lazy, Suspense } from 'preact/compat';
import { useEffect, useState } from 'preact/hooks';
import type { User } from '@mimamori/contract';
import { call, ApiError } from './api.js';
import { setLang, t, useLang } from './i18n.js';
import { AlertsPage } from './pages/alerts.js';
import { HomePage } from './pages/home.js';
import { LoginPage } from './pages/login.js';
import './style.css';

// Staff pages (charts, tables) load only for staff, so a volunteer's phone downloads little.
const StaffBoard = lazy(() => import('./pages/staff-board.js').then((m) => ({ default: m.StaffBoard })));
const RulesPage = lazy(() => import('./pages/rules.js').then((m) => ({ default: m.RulesPage })));
const ReportsPage = lazy(() => import('./pages/reports.js').then((m) => ({ default: m.ReportsPage })));
const PeoplePage = lazy(() => import('./pages/people.js').then((m) => ({ default: m.PeoplePage })));
const AuditPage = lazy(() => import('./pages/audit.js').then((m) => ({ default: m.AuditPage })));

/** The part of the address after `#/`, split: `#/homes/h1` → ['homes', 'h1']. */
function useRoute(): string[] {
  const read = () => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

function App() {
  useLang();
  const route = useRoute();
  const [user, setUser] = useState<User | null | undefined>(undefined);
  useEffect(() => {
    call('GET /api/me').then(
      (me) => setUser(me.user),
      (error: unknown) => setUser(error instanceof ApiError && error.status === 401 ? null : null),
    );
  }, []);
  if (user === undefined) return <p class="muted">{t('loading')}</p>;
  if (user === null) return <LoginPage onLogin={setUser} />;
  const staff = user.role === 'staff' || user.role === 'admin';
  const [section, id] = route;
  const page =
    section === 'homes' && id ? (
      <HomePage homeId={id} user={user} />
    ) : section === 'board' && staff ? (
      <StaffBoard />
    ) : section === 'rules' && staff ? (
      <RulesPage ruleId={id} />
    ) : section === 'reports' && staff ? (
      <ReportsPage />
    ) : section === 'people' && staff ? (
      <PeoplePage me={user.role} />
    ) : section === 'audit' && user.role === 'admin' ? (
      <AuditPage />
    ) : (
      <AlertsPage user={user} focus={section === 'alerts' ? id : undefined} />
    );
  const logout = async () => {
    await call('POST /api/auth/logout');
    setUser(null);
  };
  return (
    <>
      <header class="top">
        <a class="brand" href="#/">
          {t('appName')}
        </a>
        <nav>
          <a href="#/">{t('myAlerts')}</a>
          {staff && <a href="#/board">{t('board')}</a>}
          {staff && <a href="#/rules">{t('rules')}</a>}
          {staff && <a href="#/reports">{t('reports')}</a>}
          {staff && <a href="#/people">{t('people')}</a>}
          {user.role === 'admin' && <a href="#/audit">{t('audit')}</a>}
        </nav>
        <span class="who">{user.displayName}</span>
        <button class="link" onClick={() => setLang(document.documentElement.lang === 'en' ? 'ja' : 'en')}>
          {document.documentElement.lang === 'en' ? '日本語' : 'English'}
        </button>
        <button class="link" onClick={logout}>
          {t('logout')}
        </button>
      </header>
      <main class={staff ? 'wide' : 'narrow'}>
        <Suspense fallback={<p class="muted">{t('loading')}</p>}>{page}</Suspense>
      </main>
    </>
  );
}

document.documentElement.lang = localStorage.getItem('lang') === 'en' ? 'en' : 'ja';
render(<App />, document.getElementById('app') as HTMLElement);
if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/sw.js').catch(() => undefined);

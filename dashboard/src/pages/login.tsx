import type { User } from '@mimamori/contract';
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { ErrorNote } from '../components/common.js';
import { t } from '../i18n/index.js';

export function LoginPage({ onLogin }: { onLogin: (user: User) => void }) {
  const [error, setError] = useState<unknown>(undefined);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    try {
      const { user } = await call('POST /api/auth/login', {
        body: { username: String(form.get('username')), password: String(form.get('password')) },
      });
      onLogin(user);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <main class="narrow">
      <h1>{t('app.name')}</h1>
      <form class="stack" onSubmit={submit}>
        <label>
          {t('app.username')}
          <input name="username" autocomplete="username" required />
        </label>
        <label>
          {t('app.password')}
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <ErrorNote error={error} />
        <button class="primary" type="submit">
          {t('app.login')}
        </button>
      </form>
    </main>
  );
}

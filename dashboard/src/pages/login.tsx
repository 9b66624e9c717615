import { useState } from 'preact/hooks';
import type { User } from '@mimamori/contract';
import { call } from '../api.js';
import { errorText } from '../problems.js';
import { t } from '../i18n.js';

export function LoginPage({ onLogin }: { onLogin: (user: User) => void }) {
  const [error, setError] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    try {
      const { user } = await call('POST /api/auth/login', {
        body: { username: String(form.get('username')), password: String(form.get('password')) },
      });
      onLogin(user);
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <main class="narrow">
      <h1>{t('appName')}</h1>
      <form class="stack" onSubmit={submit}>
        <label>
          {t('username')}
          <input name="username" autocomplete="username" required />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button class="primary" type="submit">
          {t('login')}
        </button>
      </form>
    </main>
  );
}

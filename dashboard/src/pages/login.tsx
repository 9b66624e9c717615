import { useState } from 'preact/hooks';
import type { User } from '@mimamori/contract';
import { api } from '../api.js';
import { t } from '../i18n.js';

export function LoginPage({ onLogin }: { onLogin: (user: User) => void }) {
  const [error, setError] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    try {
      const { user } = await api<{ user: User }>('POST', '/api/auth/login', {
        username: form.get('username'),
        password: form.get('password'),
      });
      onLogin(user);
    } catch {
      setError(t('loginFailed'));
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

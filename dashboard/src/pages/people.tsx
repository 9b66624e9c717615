import { useEffect, useState } from 'preact/hooks';
import type { Role, UserProfile } from '@mimamori/contract';
import { call } from '../api.js';
import { errorText } from '../problems.js';

const ROLE_WORDS: Record<Role, string> = {
  admin: '管理者',
  staff: '職員',
  volunteer: 'ボランティア・民生委員',
  family: '家族',
};

/** Users: who can log in, how they are reached, and adding or deactivating one. */
export function PeoplePage({ me }: { me: UserProfile['role'] }) {
  const [users, setUsers] = useState<UserProfile[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  const load = () => void call('GET /api/users').then((r) => setUsers(r.items));
  useEffect(load, []);
  const create = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const optional = (name: string) =>
      String(form.get(name) ?? '').trim() ? { [name]: String(form.get(name)).trim() } : {};
    try {
      await call('POST /api/users', {
        body: {
          username: String(form.get('username')),
          displayName: String(form.get('displayName')),
          role: form.get('role') as Role,
          password: String(form.get('password')),
          ...optional('email'),
          ...optional('affiliation'),
        },
      });
      formElement.reset();
      setMessage({ ok: true, text: '追加しました' });
      load();
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) });
    }
  };
  const setActive = async (user: UserProfile, active: boolean) => {
    await call('PATCH /api/users/:id', { params: { id: user.id }, body: { active } });
    load();
  };
  const roles: Role[] = me === 'admin' ? ['volunteer', 'family', 'staff', 'admin'] : ['volunteer', 'family'];
  return (
    <section class="stack">
      <h1>利用者</h1>
      <table class="compact">
        <thead>
          <tr>
            <th>名前</th>
            <th>ユーザー名</th>
            <th>役割</th>
            <th>所属</th>
            <th>メール</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} class={u.active ? '' : 'inactive'}>
              <td>{u.displayName}</td>
              <td>{u.username}</td>
              <td>{ROLE_WORDS[u.role]}</td>
              <td>{u.affiliation ?? ''}</td>
              <td>{u.email ?? '—'}</td>
              <td>
                {u.active ? (
                  <button class="link" onClick={() => setActive(u, false)}>
                    利用を止める
                  </button>
                ) : (
                  <button class="link" onClick={() => setActive(u, true)}>
                    利用を再開する
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>利用者を追加</h2>
      <form class="stack" onSubmit={create}>
        <label>
          名前 <input name="displayName" required />
        </label>
        <label>
          ユーザー名 <input name="username" required pattern="[\w.@\-]+" />
        </label>
        <label>
          役割{' '}
          <select name="role">
            {roles.map((r) => (
              <option key={r} value={r}>
                {ROLE_WORDS[r]}
              </option>
            ))}
          </select>
        </label>
        <label>
          所属（スピーカーで名前と一緒に伝えます。例: 民生委員） <input name="affiliation" />
        </label>
        <label>
          メール（お知らせの送り先） <input name="email" type="email" />
        </label>
        <label>
          初期パスワード（8文字以上）{' '}
          <input name="password" type="password" minLength={8} required autocomplete="new-password" />
        </label>
        {message && (
          <p class={message.ok ? 'calm' : 'error'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </p>
        )}
        <button class="primary" type="submit">
          追加する
        </button>
      </form>
    </section>
  );
}

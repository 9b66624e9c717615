import type { Role, User, UserProfile } from '@mimamori/contract';
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import './words.js';
import { Loaded, useLoad, valueOf } from '../components/common.js';
import { Field, text, useSave } from '../components/fields.js';
import { t } from '../i18n/index.js';

/**
 * People who log in (issue 19 item 8): how each is reached (an alert reaches nobody without an
 * e-mail or a subscribed phone), changing their e-mail, phone and affiliation, a new password,
 * deactivating, and adding someone. Staff manage watchers; admins anyone.
 */
export function PeoplePage({ me, query }: { me: User; query?: Record<string, string> }) {
  const users = useLoad(() => call('GET /api/users').then((r) => r.items), []);
  const [open, setOpen] = useState<string | undefined>(query?.user);
  const [search, setSearch] = useState('');
  const mayManage = (u: UserProfile) => me.role === 'admin' || (u.role !== 'admin' && u.role !== 'staff');
  return (
    <section class="stack">
      <h1>{t('people.title')}</h1>
      <label class="field">
        <span class="label">{t('people.search')}</span>
        <input type="search" value={search} onInput={(e) => setSearch(valueOf(e))} />
      </label>
      <Loaded data={users.data} error={users.error}>
        {(items) => (
          <table class="compact people">
            <thead>
              <tr>
                <th scope="col">{t('people.name')}</th>
                <th scope="col">{t('people.role')}</th>
                <th scope="col">{t('people.affiliation')}</th>
                <th scope="col">{t('people.reach')}</th>
                <th scope="col">{t('people.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items
                .filter((u) => !search.trim() || `${u.displayName}${u.username}`.includes(search.trim()))
                .map((u) => (
                  <Fragment key={u.id}>
                    <tr class={u.active ? '' : 'inactive'} data-user={u.username}>
                      <td>
                        {mayManage(u) ? (
                          <button
                            type="button"
                            class="link"
                            aria-expanded={open === u.id}
                            onClick={() => setOpen(open === u.id ? undefined : u.id)}
                          >
                            {u.displayName}
                          </button>
                        ) : (
                          u.displayName
                        )}
                        <span class="muted">（{u.username}）</span>
                      </td>
                      <td>{t(`role.${u.role}`)}</td>
                      <td>{u.affiliation ?? ''}</td>
                      <td class={reachable(u) ? '' : 'caution'}>{reachOf(u)}</td>
                      <td>{u.active ? t('people.active') : t('people.inactive')}</td>
                    </tr>
                    {open === u.id && (
                      <tr>
                        <td colSpan={5}>
                          <UserEditor user={u} self={u.id === me.id} onChanged={() => void users.reload()} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
            </tbody>
          </table>
        )}
      </Loaded>
      <AddUser me={me} onAdded={() => void users.reload()} />
    </section>
  );
}

const reachable = (u: UserProfile) => Boolean(u.email) || u.pushSubscriptions > 0;
const reachOf = (u: UserProfile): string =>
  reachable(u)
    ? [u.email, u.pushSubscriptions > 0 ? t('people.pushCount', { count: u.pushSubscriptions }) : '']
        .filter(Boolean)
        .join('・')
    : t('people.noReach');

function UserEditor({ user, self, onChanged }: { user: UserProfile; self: boolean; onChanged: () => void }) {
  const save = useSave();
  const [password, setPassword] = useState<string | undefined>(undefined);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const done = await save.run(() =>
      call('PATCH /api/users/:id', {
        params: { id: user.id },
        body: {
          displayName: text(form, 'displayName') ?? user.displayName,
          email: text(form, 'email') ?? null,
          phone: text(form, 'phone') ?? null,
          affiliation: text(form, 'affiliation') ?? null,
        },
      }),
    );
    if (done) onChanged();
  };
  const reset = async () => {
    if (!confirm(t('people.resetConfirm', { name: user.displayName }))) return;
    const answer = await save.run(() => call('POST /api/users/:id/password-reset', { params: { id: user.id } }));
    if (answer) setPassword(answer.password);
  };
  const setActive = async (active: boolean) => {
    if (!active && !confirm(t('people.deactivateConfirm', { name: user.displayName }))) return;
    const done = await save.run(() => call('PATCH /api/users/:id', { params: { id: user.id }, body: { active } }));
    if (done) onChanged();
  };
  return (
    <div class="stack user-editor">
      <form class="stack" onSubmit={submit}>
        <h2>{t('people.editTitle', { name: user.displayName })}</h2>
        <Field label={t('people.name')} error={save.fields['body.displayName']}>
          <input name="displayName" required maxLength={200} defaultValue={user.displayName} />
        </Field>
        <Field label={t('people.email')} hint={t('people.emailHelp')} error={save.fields['body.email']}>
          <input name="email" type="email" defaultValue={user.email ?? ''} />
        </Field>
        <Field label={t('people.phone')} error={save.fields['body.phone']}>
          <input name="phone" type="tel" defaultValue={user.phone ?? ''} />
        </Field>
        <Field
          label={t('people.affiliation')}
          hint={t('people.affiliationHelp')}
          error={save.fields['body.affiliation']}
        >
          <input name="affiliation" maxLength={100} defaultValue={user.affiliation ?? ''} />
        </Field>
        <button class="primary" type="submit" disabled={save.busy}>
          {t('app.save')}
        </button>
      </form>
      <div class="row">
        <button type="button" class="secondary" onClick={() => void reset()} disabled={save.busy}>
          {t('people.resetPassword')}
        </button>
        {!self &&
          (user.active ? (
            <button type="button" class="secondary" onClick={() => void setActive(false)} disabled={save.busy}>
              {t('people.deactivate')}
            </button>
          ) : (
            <button type="button" class="secondary" onClick={() => void setActive(true)} disabled={save.busy}>
              {t('people.reactivate')}
            </button>
          ))}
      </div>
      {password && (
        <div class="credentials" role="status">
          <p>
            {t('people.newPassword')}: <code data-testid="new-password">{password}</code>
          </p>
          <p class="caution">{t('people.newPasswordHelp')}</p>
        </div>
      )}
      {save.outcome}
    </div>
  );
}

function AddUser({ me, onAdded }: { me: User; onAdded: () => void }) {
  const save = useSave();
  const roles: Role[] = me.role === 'admin' ? ['volunteer', 'family', 'staff', 'admin'] : ['volunteer', 'family'];
  const submit = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const [email, phone, affiliation] = ['email', 'phone', 'affiliation'].map((name) => text(form, name));
    const added = await save.run(
      () =>
        call('POST /api/users', {
          body: {
            username: text(form, 'username') ?? '',
            displayName: text(form, 'displayName') ?? '',
            role: form.get('role') as Role,
            password: String(form.get('password') ?? ''),
            ...(email && { email }),
            ...(phone && { phone }),
            ...(affiliation && { affiliation }),
          },
        }),
      t('people.added'),
    );
    if (added) {
      formElement.reset();
      onAdded();
    }
  };
  return (
    <form class="stack" onSubmit={submit}>
      <h2>{t('people.add')}</h2>
      <Field label={t('people.name')} error={save.fields['body.displayName']}>
        <input name="displayName" required maxLength={200} />
      </Field>
      <Field label={t('people.username')} error={save.fields['body.username']}>
        <input name="username" required pattern="[\w.@\-]+" autocomplete="off" />
      </Field>
      <Field label={t('people.role')}>
        <select name="role">
          {roles.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('people.affiliation')} hint={t('people.affiliationHelp')} error={save.fields['body.affiliation']}>
        <input name="affiliation" maxLength={100} />
      </Field>
      <Field label={t('people.email')} hint={t('people.emailHelp')} error={save.fields['body.email']}>
        <input name="email" type="email" />
      </Field>
      <Field label={t('people.phone')} error={save.fields['body.phone']}>
        <input name="phone" type="tel" />
      </Field>
      <Field label={t('people.initialPassword')} error={save.fields['body.password']}>
        <input name="password" type="password" minLength={8} required autocomplete="new-password" />
      </Field>
      {save.submit(t('people.add'))}
    </form>
  );
}

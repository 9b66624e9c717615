import type { UserProfile } from '@mimamori/contract';
import { useState } from 'preact/hooks';
import { valueOf } from '../components/common.js';
import { t } from '../i18n/index.js';

/**
 * Choosing people by name, for staff who are not at home with Ctrl-click (issue 19 item 4): the
 * chosen are listed with a button each to take them off; typing part of a name (or reading, or
 * affiliation) lists who matches, each with a button to add them.
 */
export function PeoplePicker({
  label,
  users,
  chosen,
  onChange,
  error,
}: {
  label: string;
  users: readonly UserProfile[];
  chosen: readonly string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
}) {
  const [query, setQuery] = useState('');
  const byId = new Map(users.map((u) => [u.id, u]));
  const words = query.trim().toLowerCase();
  const matches = words
    ? users
        .filter((u) => !chosen.includes(u.id))
        .filter((u) =>
          [u.displayName, u.username, u.affiliation ?? ''].some((text) =>
            text.toLowerCase().replaceAll(' ', '').includes(words.replaceAll(' ', '')),
          ),
        )
        .slice(0, 8)
    : [];
  const nameOf = (id: string) => byId.get(id)?.displayName ?? id;
  return (
    <fieldset class="picker">
      <legend>{label}</legend>
      {chosen.length === 0 ? (
        <p class="muted">{t('network.noWatchers')}</p>
      ) : (
        <ul class="plain chosen">
          {chosen.map((id) => (
            <li key={id}>
              {nameOf(id)}
              {byId.get(id)?.affiliation ? `（${byId.get(id)?.affiliation}）` : ''}{' '}
              <button
                type="button"
                class="link"
                aria-label={t('network.removeWatcher', { name: nameOf(id) })}
                onClick={() => onChange(chosen.filter((c) => c !== id))}
              >
                {t('network.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <label class="field">
        <span class="label">{t('people.search')}</span>
        <input type="search" value={query} onInput={(e) => setQuery(valueOf(e))} autocomplete="off" />
      </label>
      {matches.length > 0 && (
        <ul class="plain matches" aria-live="polite">
          {matches.map((u) => (
            <li key={u.id}>
              <button
                type="button"
                class="secondary"
                onClick={() => {
                  onChange([...chosen, u.id]);
                  setQuery('');
                }}
              >
                {t('network.addWatcher')}: {u.displayName}
                {u.affiliation ? `（${u.affiliation}）` : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}

import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorText } from '../i18n/problems.js';
import { t } from '../i18n/index.js';

/** Data a page loads: undefined while loading, the error if it failed, and a way to load it again. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const reload = useCallback(() => {
    setError(undefined);
    // Reloads when what the caller names in `deps` changes.
    return load().then(setData, setError);
  }, deps);
  useEffect(() => void reload(), [reload]);
  return { data, error, reload, setData };
}

export const Loading = () => <p class="muted">{t('app.loading')}</p>;

/** An error said in the user's language, announced to screen readers. */
export function ErrorNote({ error, labelOf }: { error: unknown; labelOf?: (field: string) => string | undefined }) {
  if (error === undefined || error === '') return null;
  return (
    <p class="error" role="alert">
      {typeof error === 'string' ? error : errorText(error, labelOf)}
    </p>
  );
}

/** A quiet confirmation ("保存しました"), announced politely. */
export function StatusNote({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <p class="calm" role="status">
      {text}
    </p>
  );
}

/** What a page shows until its data is there: a loading line, or the error. */
export function Loaded<T>({
  data,
  error,
  children,
}: {
  data: T | undefined;
  error: unknown;
  children: (data: T) => ComponentChildren;
}) {
  if (error !== undefined) return <ErrorNote error={error} />;
  if (data === undefined) return <Loading />;
  return <>{children(data)}</>;
}

/** A table's column headings; `actions` adds a last column for the rows' buttons, named for screen readers. */
export function TableHead({ columns, actions = false }: { columns: readonly string[]; actions?: boolean }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th scope="col" key={column}>
            {column}
          </th>
        ))}
        {actions && (
          <th scope="col">
            <span class="visually-hidden">{t('app.edit')}</span>
          </th>
        )}
      </tr>
    </thead>
  );
}

/** The value of a form control, for onInput handlers. */
export const valueOf = (event: Event): string => (event.currentTarget as HTMLInputElement).value;
export const checkedOf = (event: Event): boolean => (event.currentTarget as HTMLInputElement).checked;

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { fieldText } from '../i18n/problems.js';
import { t } from '../i18n/index.js';
import { ErrorNote, StatusNote } from './common.js';

/** Each failing field's message, by its path in the request (`body.tiers.0.name`). */
export type FieldErrors = Readonly<Record<string, string>>;

export function fieldErrorsOf(error: unknown): FieldErrors {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries(error.details.map((detail) => [detail.field, fieldText(detail)]));
}

/**
 * A labelled control with its help and its error beside it: the label wraps the control, so a
 * screen reader and a tap on the words both reach it; the error is announced with the field.
 */
export function Field({
  label,
  hint,
  error,
  inline,
  children,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  inline?: boolean;
  children: ComponentChildren;
}) {
  return (
    <label class={inline ? 'field inline' : 'field'}>
      <span class="label">{label}</span>
      {children}
      {hint && <span class="hint">{hint}</span>}
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}

/**
 * How a form saves: `run` sends it; a refusal shows beside its fields and as one sentence below
 * the form, a success as a quiet status line (none when `saved` is empty: the caller says it).
 * `busy` keeps a double tap from sending twice.
 */
export function useSave() {
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const run = async <T,>(work: () => Promise<T>, saved: string = t('app.saved')): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const result = await work();
      if (saved) setDone(saved);
      return result;
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const fields = fieldErrorsOf(error);
  const outcome = (
    <>
      <ErrorNote error={error} />
      <StatusNote text={done} />
    </>
  );
  /** The end of a form: what the last save said, then its button. */
  const submit = (label: string = t('app.save'), kind: 'primary' | 'secondary' = 'primary') => (
    <>
      {outcome}
      <button class={kind} type="submit" disabled={busy}>
        {label}
      </button>
    </>
  );
  return { run, busy, fields, outcome, submit, error };
}

/** The trimmed text of a form field, or undefined when it is empty. */
export function text(form: FormData, name: string): string | undefined {
  const value = String(form.get(name) ?? '').trim();
  return value === '' ? undefined : value;
}

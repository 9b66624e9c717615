import type { FieldError, Problem, ProblemParams } from '@mimamori/contract';
import { ApiError } from '../api.js';
import { lang, t } from './index.js';
import { jaFields, jaProblems } from './ja-problems.js';

/** A problem in the user's language: Japanese from the catalogue, else the hub's English. */
export function problemText<P extends Problem>(problem: P, params: ProblemParams[P], english: string): string {
  return lang() === 'ja' ? jaProblems[problem](params) : english;
}

/** One field's problem, for a message beside the field. */
export function fieldText(detail: FieldError): string {
  return problemText(detail.problem, detail.params as never, detail.message);
}

/**
 * Any error a page caught, as one sentence in the user's language, naming the field: by the
 * label the page gives it (`labelOf`, a rule parameter's label with its own name), by the
 * catalogue's word for it, or by its own name.
 */
export function errorText(error: unknown, labelOf?: (field: string) => string | undefined): string {
  if (!(error instanceof ApiError)) return failureText(error);
  if (!error.problem) return lang() === 'ja' ? t('app.failedStatus', { status: error.status }) : error.message;
  const text = problemText(error.problem, error.params as never, error.message);
  if (lang() !== 'ja' || !error.field) return text;
  const parts = error.field.split('.').filter((part) => !/^\d+$/.test(part));
  const name = [...parts].reverse().find((part) => jaFields[part]) ?? parts[parts.length - 1];
  const label = labelOf?.(error.field) ?? (name && (jaFields[name] ?? name));
  return label ? `${label}: ${text}` : text;
}

/** An error that is not the hub's answer: the network, or the browser refusing (notifications). */
function failureText(error: unknown): string {
  if ((error as { name?: string } | undefined)?.name === 'NotAllowedError') return t('push.denied');
  if (error instanceof TypeError) return t('app.offline');
  return t('app.failed', { detail: error instanceof Error ? error.message : String(error) });
}

import type { Alert, UserProfile } from '@mimamori/contract';

/** The person acting on an alert. */
export type Actor = Pick<UserProfile, 'id' | 'username' | 'displayName' | 'affiliation'>;

/**
 * What a person does to an alert. `release` gives a claim back ("行けなくなりました"): the one who
 * made it may, and staff may for them (`onBehalf`: the volunteer phoned the office).
 */
export type AlertAction =
  | { kind: 'acknowledge'; by: string }
  | { kind: 'resolve'; by: string }
  | { kind: 'release'; by: string; onBehalf: boolean };

/**
 * Whether an action may happen to an alert now (open → acknowledged → resolved; open →
 * resolved; acknowledged → open again when the claim is given back; an alert that ended stays ended). `repeat` means the action changes nothing: the
 * same watcher saying "向かいます" twice. Pure, so the rules of the lifecycle are tested alone.
 */
export function check(
  alert: Pick<Alert, 'status' | 'acknowledgedBy'>,
  action: AlertAction,
): { ok: true; repeat: boolean } | { ok: false; reason: string } {
  if (alert.status === 'resolved' || alert.status === 'auto_resolved') {
    return {
      ok: false,
      reason: alert.status === 'resolved' ? 'the alert is resolved already' : 'the alert cleared by itself already',
    };
  }
  if (action.kind === 'resolve') return { ok: true, repeat: false };
  if (action.kind === 'release') {
    if (alert.status !== 'acknowledged') return { ok: false, reason: 'nobody has acknowledged the alert' };
    return alert.acknowledgedBy === action.by || action.onBehalf
      ? { ok: true, repeat: false }
      : { ok: false, reason: `${alert.acknowledgedBy ?? 'someone'} has acknowledged it; only they can give it back` };
  }
  if (alert.status === 'acknowledged') {
    return alert.acknowledgedBy === action.by
      ? { ok: true, repeat: true }
      : { ok: false, reason: `${alert.acknowledgedBy ?? 'someone'} has acknowledged it already` };
  }
  return { ok: true, repeat: false };
}

import type { Alert } from '@mimamori/contract';

/** What a person does to an alert. */
export type AlertAction = { kind: 'acknowledge'; by: string } | { kind: 'resolve'; by: string };

/**
 * Whether an action may happen to an alert now (open → acknowledged → resolved; open →
 * resolved; an alert that ended stays ended). `repeat` means the action changes nothing: the
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
  if (alert.status === 'acknowledged') {
    return alert.acknowledgedBy === action.by
      ? { ok: true, repeat: true }
      : { ok: false, reason: `${alert.acknowledgedBy ?? 'someone'} has acknowledged it already` };
  }
  return { ok: true, repeat: false };
}

import type { Alert, Severity } from '@mimamori/contract';

/**
 * Where an alert stands for the person looking (issue 20): `now` needs someone (open, or the
 * one I said 向かいます to), `others` someone else has, `ended` is over (resolved or cleared).
 */
export type AlertGroup = 'now' | 'others' | 'ended';

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export function groupOf(alert: Pick<Alert, 'status' | 'acknowledgedBy'>, username: string): AlertGroup {
  if (alert.status === 'resolved' || alert.status === 'auto_resolved') return 'ended';
  if (alert.status === 'acknowledged' && alert.acknowledgedBy !== username) return 'others';
  return 'now';
}

const GROUPS: readonly AlertGroup[] = ['now', 'others', 'ended'];

/**
 * The order of a volunteer's cards: what needs someone first, by severity and then by age (the
 * longest waiting first), so an SOS is never under a dozen 注意 cards; then what someone else
 * has, the same way; then what ended, the latest first.
 */
export function orderAlerts<A extends Alert>(alerts: readonly A[], username: string): A[] {
  const group = (a: A) => GROUPS.indexOf(groupOf(a, username));
  return [...alerts].sort((a, b) => {
    const byGroup = group(a) - group(b);
    if (byGroup !== 0) return byGroup;
    if (groupOf(a, username) === 'ended')
      return (b.resolvedAt ?? b.updatedAt).localeCompare(a.resolvedAt ?? a.updatedAt);
    return RANK[a.severity] - RANK[b.severity] || a.openedAt.localeCompare(b.openedAt) || a.id.localeCompare(b.id);
  });
}

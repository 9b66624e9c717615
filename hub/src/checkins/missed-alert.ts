import type { CheckinScheduleInput } from '@mimamori/contract';
import type { RaiseAlert } from '../ports/index.js';
import type { Occurrence } from '../store/index.js';
import { localParts } from './cron.js';

export interface MissedContext {
  spec: Pick<CheckinScheduleInput, 'timezone' | 'satisfiedBy' | 'activityFrom'>;
  /** Missed check-ins in a row including this one, and how many the resident's tolerance allows. */
  consecutive: number;
  tolerance: number;
  /** The sentence saying the hub's outage delayed detection, when it did. */
  late: { ja: string; en: string } | undefined;
  /** The `checkin.missed` rule as it applies to the home (its id and severity). */
  rule: { id: string; severity: RaiseAlert['severity'] };
}

/**
 * The `checkin.missed` alert for a check-in that just closed unanswered, or undefined while the
 * run of misses is still within the resident's tolerance (岐阜市 alerts after 2 missed days).
 */
export function missedAlert(
  o: Occurrence,
  { spec, consecutive, tolerance, late, rule }: MissedContext,
): RaiseAlert | undefined {
  if (o.outcome !== 'missed' || consecutive < tolerance) return undefined;
  const at = localParts(o.dueAt, spec.timezone).time;
  const run =
    consecutive > 1 ? { ja: `（${consecutive}回連続）`, en: ` (${consecutive} in a row)` } : { ja: '', en: '' };
  const activity =
    spec.satisfiedBy === 'activity'
      ? {
          ja: `${spec.activityFrom}以降、センサーの反応もありません。`,
          en: ` No sensor activity since ${spec.activityFrom} either.`,
        }
      : { ja: '', en: '' };
  return {
    kind: 'raise',
    homeId: o.homeId,
    residentId: o.residentId,
    rule: rule.id,
    severity: rule.severity,
    message: {
      ja: `${at}の見守り確認に応答がありませんでした${run.ja}。${activity.ja}様子を確認してください。${late?.ja ?? ''}`,
      en: `No answer to the ${at} check-in${run.en}.${activity.en} Please check on the resident.${late?.en ?? ''}`,
    },
    sourceEventSeq: undefined,
    occurredAt: undefined,
  };
}

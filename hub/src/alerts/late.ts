import { formatMinuteOfDay, localDate, localMinuteOfDay } from '../time/local-time.js';

/** Causes older than this when their alert is raised are said to be late (devices' clocks and queues). */
const LATE_AFTER_MS = 5 * 60_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface LateArrival {
  occurredAt: number;
  /** How long after its cause the alert is raised. */
  lateByMs: number;
  /** So late that it goes to staff as a late report instead of paging the network. */
  report: boolean;
}

/**
 * Whether an alert's cause happened a while before the alert is raised (a press held by a
 * device while the hub was down, a buffer replayed): undefined when it is current.
 */
export function lateArrival(
  occurredAt: number | undefined,
  now: number,
  reportAfterMs: number,
): LateArrival | undefined {
  if (occurredAt === undefined || now - occurredAt < LATE_AFTER_MS) return undefined;
  return { occurredAt, lateByMs: now - occurredAt, report: now - occurredAt > reportAfterMs };
}

/** 「3時間前（12月7日 09:10）」 / "3 hours ago (09:10 on 7 Dec)". */
function ago(late: LateArrival, timezone: string): { ja: string; en: string } {
  const { lateByMs, occurredAt } = late;
  const [n, ja, en] =
    lateByMs < HOUR
      ? [Math.round(lateByMs / MINUTE), '分', 'minute']
      : lateByMs < 48 * HOUR
        ? [Math.round(lateByMs / HOUR), '時間', 'hour']
        : [Math.round(lateByMs / (24 * HOUR)), '日', 'day'];
  const [, month, day] = localDate(occurredAt, timezone).split('-').map(Number);
  const time = formatMinuteOfDay(localMinuteOfDay(occurredAt, timezone));
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return {
    ja: `${n}${ja}前（${month}月${day}日 ${time}）`,
    en: `${n} ${en}${n === 1 ? '' : 's'} ago (${time} on ${day} ${months[(month ?? 1) - 1]})`,
  };
}

/** The alert's words with when its cause happened and that it arrived late. */
export function withLateNote(
  message: { ja: string; en: string },
  late: LateArrival,
  timezone: string,
): { ja: string; en: string } {
  const when = ago(late, timezone);
  return {
    ja: `${message.ja}※${when.ja}のことで、届くのが遅れました。`,
    en: `${message.en} This happened ${when.en} and reached the hub late.`,
  };
}

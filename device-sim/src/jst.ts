/**
 * Japan time. The simulated homes are all in Asia/Tokyo, which has kept no daylight saving
 * since 1951, so a fixed +09:00 offset is exact.
 */
export const TIMEZONE = 'Asia/Tokyo';
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

/** ISO 8601 in Japan time with its offset, as the contract asks of device timestamps. */
export function toJstIso(ms: number): string {
  return `${new Date(ms + JST_OFFSET_MS).toISOString().slice(0, -1)}+09:00`;
}

/** Local midnight (epoch ms) of the Japanese calendar day that contains `ms`. */
export function jstDayStart(ms: number): number {
  return Math.floor((ms + JST_OFFSET_MS) / DAY_MS) * DAY_MS - JST_OFFSET_MS;
}

/** A stable number for the Japanese calendar day that contains `ms` (days since 1970-01-01 JST). */
export function jstDayNumber(ms: number): number {
  return Math.floor((ms + JST_OFFSET_MS) / DAY_MS);
}

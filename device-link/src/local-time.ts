/**
 * ISO 8601 in the machine's own time zone with its offset ("2026-11-22T09:00:00.000+09:00"),
 * as the contract asks of device timestamps: a resident's home runs on local time, and an
 * operator reading the hub's history sees the hour the resident lived it.
 */
export function localIsoTime(ms: number): string {
  const offsetMinutes = -new Date(ms).getTimezoneOffset();
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, -1)}${offset}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

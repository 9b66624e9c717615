/** Simulated time: starts at the real now and runs `speed` times faster. */
export class SimClock {
  readonly #realStart = Date.now();

  constructor(readonly speed: number) {}

  now(): number {
    return this.#realStart + (Date.now() - this.#realStart) * this.speed;
  }

  /** Real milliseconds until simulated time `at`. */
  realDelayUntil(at: number): number {
    return Math.max(0, (at - this.now()) / this.speed);
  }
}

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** ISO 8601 in Japan time with its offset (Japan keeps no daylight saving). */
export function toJstIso(ms: number): string {
  return `${new Date(ms + JST_OFFSET_MS).toISOString().slice(0, -1)}+09:00`;
}

/** Local (JST) midnight of the day containing `ms`. */
export function jstDayStart(ms: number): number {
  return Math.floor((ms + JST_OFFSET_MS) / 86_400_000) * 86_400_000 - JST_OFFSET_MS;
}

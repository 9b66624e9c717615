import type { LocalWindow } from '../time/local-time.js';

/**
 * Day and night for the rules that treat them differently (`silence.unusual`'s ceiling,
 * `out.long`'s limits): 07:00–21:00 local is day, as for the default `inactivity` rule.
 */
export const DAYTIME: LocalWindow = { from: 7 * 60, to: 21 * 60 };

// The detection benchmark's population (issue 18): which home gets which injected incident, and on
// which day, drawn from the seed. Tuning and the benchmark use different seeds so that the figures
// come from homes the rules were never tuned on.
import { deriveSeed, mulberry32 } from '../../device-sim/dist/rng.js';

const DAY = 86_400_000;

/** Seeds 1–999 are for tuning rules (try anything on them); seeds from 1000 on are the benchmark's. */
export const TUNING_SEEDS = { from: 1, to: 999 };
export const BENCHMARK_SEED = 1001;
export const isTuningSeed = (seed) => seed >= TUNING_SEEDS.from && seed <= TUNING_SEEDS.to;

/**
 * Incidents in turn, home by home: falls twice as often as the rest (they matter most and split
 * into day and night), and every seventh home has none.
 */
const CYCLE = ['fall', 'no wake', 'fall', 'vanish', 'long absence', 'dead sensor', null];

/** After a fall, a morning not got up or a vanishing, someone comes by within three days: the replay ends then. */
export const FOUND_WITHIN_MS = 72 * 3_600_000;
/** A long absence lasts up to 4½ days; it must end inside the history. */
const LONG_ABSENCE_DAYS = 6;

/**
 * The history options for a population of `homes` homes: `warmup` days before the `days`
 * measured ones (a home the hub has watched for a while, so the learned rules have baselines),
 * and one incident per home (as CYCLE says) on a measured day, late enough in the period that
 * what follows it fits.
 */
export function population({ seed, homes, days, warmup, end }) {
  const rng = mulberry32(deriveSeed(seed, 0xbe7c));
  const incidents = [];
  for (let index = 0; index < homes; index++) {
    const kind = CYCLE[index % CYCLE.length];
    if (!kind) continue;
    const room = kind === 'long absence' ? LONG_ABSENCE_DAYS : Math.ceil(FOUND_WITHIN_MS / DAY);
    const day = warmup + Math.floor(rng() * Math.max(1, days - room));
    incidents.push({ home: index + 1, kind, day });
  }
  return { seed, homes, days: warmup + days, end, incidents, layout: 'mixed' };
}

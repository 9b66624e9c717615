import { knownDevice, learn, silentPastLimit, type Baseline } from './baseline.js';
import type { DaySummary } from './day-summary.js';

/**
 * A baseline about the sensors that still work (issue 18: one incident per dead sensor). A
 * baseline learned while a sensor worked expects what it saw: the bedroom sensor's first
 * movement as getting up, the kitchen's as the end of an afternoon's silence. Once it has died,
 * every ordinary morning looks late and every afternoon still, day after day, until someone
 * mends it. So the sensors presumed dead when a day begins are left out of the history the day's
 * baseline is learned from: the resident's last four weeks as the sensors still working would
 * have seen them, which is what they will see today. The baseline keeps each dead sensor's share
 * of the home's activity, by which the learned rules know how much of the home is out of sight
 * (learned-baseline.ts), and what was learned of it, for `device.offline`, which tells of it.
 */
export interface HomeHistory {
  /** The home's learned days (oldest first), summarised without the messages of the devices given. */
  days(without: ReadonlySet<string>): readonly DaySummary[];
  /** When a device last sent anything before the baseline's day began; undefined when not in the days read. */
  lastHeard(deviceId: string): number | undefined;
}

const EVERY_DEVICE: ReadonlySet<string> = new Set();

/**
 * The baseline of a home's day beginning at `dayStart`, learned without its activity sensors
 * (`sensors`) presumed dead by then. `previous` gives the baseline before it: a sensor dead for
 * longer than the days read is not known from them, and only the baseline it was left out of
 * still knows it (read only for such a sensor).
 */
export function learnFromWorkingSensors(
  history: HomeHistory,
  sensors: readonly string[],
  dayStart: number,
  previous: () => Baseline | undefined = () => undefined,
): Baseline {
  const all = learn(history.days(EVERY_DEVICE));
  let earlier: { baseline: Baseline | undefined } | undefined;
  const leftOutBefore = (id: string) => (earlier ??= { baseline: previous() }).baseline?.without[id];
  const without: Baseline['without'] = {};
  for (const id of sensors) {
    const heardAt = history.lastHeard(id);
    const known = all.devices[id];
    if (known && knownDevice(all, id)) {
      if (heardAt === undefined || !silentPastLimit(all, id, heardAt, dayStart)) continue;
      // Its share as first left out: the days read since hold more and more of its silence, and
      // share of them would shrink an open-plan home's one motion sensor below "most" in weeks.
      const before = leftOutBefore(id);
      without[id] = before?.lastHeard === heardAt ? before : { share: known.share, lastHeard: heardAt };
    } else {
      const before = leftOutBefore(id);
      if (before && (heardAt === undefined || heardAt <= before.lastHeard)) without[id] = before;
    }
  }
  if (Object.keys(without).length === 0) return all;
  const seen = learn(history.days(new Set(Object.keys(without))));
  // device.offline judges a dead sensor by what was learned of it, as it would without this.
  const learnedOfDead = Object.keys(without).flatMap((id) => (all.devices[id] ? [[id, all.devices[id]]] : []));
  return { ...seen, devices: { ...seen.devices, ...Object.fromEntries(learnedOfDead) }, without };
}

import { ACTIVITY_SENSOR_KINDS } from '@mimamori/contract';
import { silentPastLimit, type Baseline } from './baseline.js';
import type { HomeContext } from './decisions.js';

/**
 * The share of the home's signals of activity that, gone with dead sensors, leaves a baseline
 * about another home: most of what it learned from. An open-plan home's one motion sensor is
 * that; one room's sensor of five leaves the resident's days in view of the others.
 */
const MOST = 0.5;

/**
 * The home's baseline as a learned rule may judge by: learned from at least `minDays` days, and
 * still about what the home's sensors can see. The baseline job learns it again each day without
 * the sensors presumed dead by then (working-sensors.ts). Until it has, a baseline learned while
 * they worked describes a home that sees more: mornings look late, afternoons still and days
 * small (issue 18: one incident per dead sensor). So while activity sensors it knows, which
 * together saw most of the home's activity, are silent past their own history's limit (the limit
 * `device.offline` judges them by, and it tells of them), the learned rules judge as they do
 * before they have learned: by their fixed limits, or not at all. They also do so while the
 * sensors it was learned without saw most of the home (what is left sees too little to learn a
 * routine from), and once such a sensor is heard again, until the baseline is learned with it.
 */
export function learnedBaseline(home: HomeContext, minDays: number, now: number): Baseline | undefined {
  return learnedView(home, minDays, now)?.baseline;
}

/**
 * The learned baseline as `learnedBaseline` gives it, with the share of the home's signals the
 * presumed-dead sensors gave (`unseenShare`), for a rule that allows for the part still missing.
 */
export function learnedView(
  home: HomeContext,
  minDays: number,
  now: number,
): { baseline: Baseline; unseen: number } | undefined {
  const { baseline } = home;
  if (!baseline || baseline.days < minDays) return undefined;
  // What the sensors left out saw is out of the baseline, not out of the home: their share still
  // counts towards "most", so a home whose one motion sensor died is not judged by its door and
  // power meter alone. A sensor left out that has spoken since makes the baseline see less than
  // the home does now, until it is learned with it.
  let learnedWithout = 0;
  for (const [id, { share, lastHeard }] of Object.entries(baseline.without)) {
    if ((home.presence.sensorSeenAt[id] ?? -Infinity) > lastHeard) return undefined;
    learnedWithout += share;
  }
  const unseen = unseenShare(baseline, home, now);
  return learnedWithout + (1 - learnedWithout) * unseen >= MOST ? undefined : { baseline, unseen };
}

/**
 * The share of the home's signals of activity, as its baseline learned them, that came from
 * activity sensors now presumed dead and not yet learned without: 0 while every sensor the
 * baseline saw with still speaks.
 */
export function unseenShare(baseline: Baseline, home: HomeContext, now: number): number {
  return home.devices
    .filter(
      (device) =>
        ACTIVITY_SENSOR_KINDS.has(device.kind) &&
        !baseline.without[device.id] &&
        silentPastLimit(baseline, device.id, home.presence.sensorSeenAt[device.id], now),
    )
    .reduce((share, device) => share + (baseline.devices[device.id]?.share ?? 0), 0);
}

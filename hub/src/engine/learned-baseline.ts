import { ACTIVITY_SENSOR_KINDS } from '@mimamori/contract';
import { knownDevice, learnedSilenceLimit, type Baseline } from './baseline.js';
import type { HomeContext } from './decisions.js';

const MINUTE = 60_000;
/**
 * The share of the home's signals of activity that, gone with dead sensors, leaves a baseline
 * about another home: most of what it learned from. An open-plan home's one motion sensor is
 * that; one room's sensor of five leaves the resident's days in view of the others.
 */
const MOST = 0.5;

/**
 * The home's baseline as a learned rule may judge by: learned from at least `minDays` days, and
 * still about what the home's sensors can see. A baseline learned while its sensors worked
 * describes a home that sees more than one where most of them died: mornings look late,
 * afternoons still and days small, every day until they are mended (issue 18: one incident per
 * dead sensor; before this, an open-plan home whose motion sensor died had a late morning on
 * most days for weeks). So while activity sensors the baseline knows, which together saw most of
 * the home's activity, are silent past their own history's limit (the limit `device.offline`
 * judges them by, and it tells of them), the learned rules judge as they do before they have
 * learned: by their fixed limits, or not at all. They judge by it again once the sensors are heard.
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
  const unseen = unseenShare(baseline, home, now);
  return unseen >= MOST ? undefined : { baseline, unseen };
}

/**
 * The share of the home's signals of activity, as its baseline learned them, that came from
 * activity sensors now presumed dead: 0 while every sensor the baseline knows still speaks.
 */
export function unseenShare(baseline: Baseline, home: HomeContext, now: number): number {
  return home.devices
    .filter((device) => ACTIVITY_SENSOR_KINDS.has(device.kind) && presumedDead(baseline, home, device.id, now))
    .reduce((share, device) => share + (baseline.devices[device.id]?.share ?? 0), 0);
}

/** A known sensor silent (in real time, the resident out or not) for longer than its learned limit. */
function presumedDead(baseline: Baseline, home: HomeContext, deviceId: string, now: number): boolean {
  const learned = baseline.devices[deviceId];
  const seenAt = home.presence.sensorSeenAt[deviceId];
  if (!learned || seenAt === undefined || !knownDevice(baseline, deviceId)) return false;
  return now - seenAt > learnedSilenceLimit(learned) * MINUTE;
}

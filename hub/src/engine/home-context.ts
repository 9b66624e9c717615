import type { AbsenceRepository, BaselineRepository, DeviceRepository, HomeRepository } from '../store/index.js';
import type { DaySummary } from './baseline.js';
import type { HomeContext } from './decisions.js';

/** What the engine knows about a home for one evaluation: the evaluators' context plus scope and absence. */
export interface HomeFacts extends HomeContext {
  district: string | null;
  /** An absence (不在登録) is active: rules paused by absences do not run. */
  absent: boolean;
}

/** Gathers a home's facts from the stores for the live engine. */
export class HomeContexts {
  constructor(
    private readonly deps: {
      homes: Pick<HomeRepository, 'get' | 'listResidents'>;
      devices: Pick<DeviceRepository, 'list'>;
      baselines: Pick<BaselineRepository, 'get'>;
      absences: Pick<AbsenceRepository, 'activeAt'>;
    },
  ) {}

  get(homeId: string, now: number): HomeFacts | undefined {
    const home = this.deps.homes.get(homeId);
    if (!home) return undefined;
    const baseline = this.deps.baselines.get<DaySummary>(homeId);
    return {
      homeId,
      timezone: home.timezone,
      district: home.district,
      residentId: this.deps.homes.listResidents(homeId)[0]?.id,
      devices: this.deps.devices.list(homeId).map((d) => ({ id: d.id, kind: d.kind })),
      baseline: baseline && { days: baseline.days },
      absent: this.deps.absences.activeAt(homeId, now) !== undefined,
    };
  }
}

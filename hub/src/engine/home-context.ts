import type {
  AbsenceRepository,
  BaselineRepository,
  DeviceRepository,
  HomeRepository,
  HubStateRepository,
} from '../store/index.js';
import { remember } from '../recent-map.js';
import { learnedOf } from './baseline.js';
import type { HomeContext } from './decisions.js';

/** What the engine knows about a home for one evaluation: the evaluators' context (but presence, which changes with every event) plus scope. */
export interface HomeFacts extends Omit<HomeContext, 'presence'> {
  district: string | null;
}

/** A home's facts as read from the store, with the absences that had not ended by then. */
interface CachedHome {
  facts: Omit<HomeFacts, 'absent'>;
  absences: { startsAt: number; endsAt: number }[];
}

/** Homes kept in memory; beyond this the least recently used are read again when needed. */
const CACHED_HOMES = 10_000;

/**
 * Gathers a home's facts from the stores for the live engine. Every event needs them, and they
 * change rarely, so they are kept in memory until the store's registry version moves (triggers
 * bump it on any change to homes, residents, devices, absences or baselines, by whoever made it).
 */
export class HomeContexts {
  readonly #cache = new Map<string, CachedHome | null>();
  #version: number | undefined;

  constructor(
    private readonly deps: {
      homes: Pick<HomeRepository, 'get' | 'listResidents'>;
      devices: Pick<DeviceRepository, 'ofHome'>;
      baselines: Pick<BaselineRepository, 'get'>;
      absences: Pick<AbsenceRepository, 'listForHome'>;
      state: Pick<HubStateRepository, 'registryVersion'>;
    },
  ) {}

  get(homeId: string, now: number): HomeFacts | undefined {
    const version = this.deps.state.registryVersion();
    if (version !== this.#version) {
      this.#cache.clear();
      this.#version = version;
    }
    let cached = this.#cache.get(homeId);
    if (cached === undefined) cached = this.#read(homeId, now);
    remember(this.#cache, homeId, cached, CACHED_HOMES);
    // Time only moves on, so the absences unended at reading time are all that can be active now.
    if (!cached) return undefined;
    return { ...cached.facts, absent: cached.absences.some((a) => a.startsAt <= now && now < a.endsAt) };
  }

  #read(homeId: string, now: number): CachedHome | null {
    const home = this.deps.homes.get(homeId);
    if (!home) return null;
    const baseline = this.deps.baselines.get(homeId);
    return {
      facts: {
        homeId,
        timezone: home.timezone,
        district: home.district,
        residentId: this.deps.homes.listResidents(homeId)[0]?.id,
        devices: this.deps.devices.ofHome(homeId),
        baseline: learnedOf(baseline?.learned),
      },
      absences: this.deps.absences
        .listForHome(homeId, now, false)
        .map((a) => ({ startsAt: Date.parse(a.startsAt), endsAt: Date.parse(a.endsAt) })),
    };
  }
}

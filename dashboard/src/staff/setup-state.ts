import { SETUP_STEPS, missingSetup, type Device, type Home, type Resident, type SetupStep } from '@mimamori/contract';
import { ApiError, call } from '../api.js';
import { useLoad } from '../components/common.js';

export { SETUP_STEPS, type SetupStep } from '@mimamori/contract';

export interface SetupState {
  home: Home;
  residents: Resident[];
  devices: Device[];
  done: ReadonlySet<SetupStep>;
  firstMissing: SetupStep;
}

/** Which steps of the guided set-up a home has behind it, by the contract's one rule (`missingSetup`). */
export async function setupState(homeId: string): Promise<SetupState> {
  const [home, residents, devices, network] = await Promise.all([
    call('GET /api/homes/:id', { params: { id: homeId } }),
    call('GET /api/homes/:id/residents', { params: { id: homeId } }).then((r) => r.items),
    call('GET /api/devices', { query: { homeId } }).then((r) => r.items),
    call('GET /api/homes/:id/network', { params: { id: homeId } }).catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404) return undefined;
      throw e;
    }),
  ]);
  const schedules = await Promise.all(
    residents.map((r) => call('GET /api/residents/:id/schedules', { params: { id: r.id } }).then((s) => s.items)),
  );
  const missing = missingSetup({
    residents: residents.length,
    residentsWithoutSchedule: schedules.filter((s) => s.length === 0).length,
    consentRecorded: home.consent.recordedAt !== undefined,
    plan: home.responsePlan,
    devicesWithCredentials: devices.filter((d) => d.hasCredentials).length,
    network: network !== undefined,
  });
  const done = new Set<SetupStep>(SETUP_STEPS.filter((step) => step !== 'done' && !missing.includes(step)));
  if (missing.length === 0) done.add('done');
  return { home, residents, devices, done, firstMissing: missing[0] ?? 'done' };
}

export const useSetupState = (homeId: string) => useLoad(() => setupState(homeId), [homeId]);

import type { CheckinScheduleInput } from '@mimamori/contract';
import type { DeviceSpec, HomeSpec } from './home-spec.js';
import { HubApiError, type HubApi, type IssuedCredentials } from './hub-api.js';

export interface ProvisionedDevice {
  spec: DeviceSpec;
  credentials: IssuedCredentials;
}

export interface ProvisionedHome {
  spec: HomeSpec;
  devices: readonly ProvisionedDevice[];
  /** How many of the home, its resident and its devices this run had to create. */
  created: number;
}

/**
 * Registers a simulated home, its resident (with the check-in schedule, if one is given and
 * the resident has none yet) and its devices through the hub's public API, reusing whatever an
 * earlier run registered, then issues each device a fresh secret (the API shows a secret only
 * once, so a second run cannot reuse the first run's).
 */
export async function provisionHome(
  api: HubApi,
  spec: HomeSpec,
  checkin?: CheckinScheduleInput,
): Promise<ProvisionedHome> {
  let created = 0;
  if (!(await api.getHome(spec.homeId))) {
    const { homeId: id, name, address, district, timezone } = spec;
    created += await createUnlessTaken(() => api.createHome({ id, name, address, district, timezone }));
  }
  const { residentId, name, language } = spec.persona;
  const residents = await api.listResidents(spec.homeId);
  if (!residents.some((r) => r.id === residentId)) {
    created += await createUnlessTaken(() => api.createResident(spec.homeId, { id: residentId, name, language }));
  }
  if (checkin && (await api.listSchedules(residentId)).length === 0) {
    await api.createSchedule(residentId, checkin);
    created += 1;
  }
  const devices: ProvisionedDevice[] = [];
  for (const device of spec.devices) {
    const existing = await api.getDevice(device.id);
    if (!existing) {
      created += await createUnlessTaken(() =>
        api.createDevice({ id: device.id, homeId: spec.homeId, kind: device.kind, name: device.name }),
      );
    } else if (existing.homeId !== spec.homeId || existing.kind !== device.kind) {
      // Someone else owns this id; issuing it a new secret would take their device offline.
      throw new Error(
        `device ${device.id} exists as a ${existing.kind} of home ${existing.homeId}, not a ${device.kind} of ${spec.homeId}`,
      );
    }
    devices.push({ spec: device, credentials: await api.issueCredentials(device.id) });
  }
  return { spec, devices, created };
}

/** 1 if created, 0 if another run created it between our look-up and our POST (409 conflict). */
async function createUnlessTaken(create: () => Promise<unknown>): Promise<number> {
  try {
    await create();
    return 1;
  } catch (error) {
    if (error instanceof HubApiError && error.status === 409) return 0;
    throw error;
  }
}

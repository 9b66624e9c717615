import type { DeviceCredentials, DeviceKind } from '@mimamori/contract';
import type { HubApi } from './hub-api.js';
import { createAddress, createPersona, type Persona } from './persona.js';
import type { SensorRole } from './routine.js';
import { seededRng } from './rng.js';

export type DeviceRole = SensorRole | 'sos';

export interface SimHome {
  index: number;
  homeId: string;
  residentId: string;
  persona: Persona;
  devices: Record<DeviceRole, DeviceCredentials>;
}

const DEVICES: readonly [DeviceRole, string, DeviceKind][] = [
  ['speaker', 'speaker', 'speaker'],
  ['motion', 'motion-living', 'motion'],
  ['door', 'door-entrance', 'door'],
  ['environment', 'env-living', 'environment'],
  ['power', 'power-main', 'power'],
  ['sos', 'sos', 'sos_button'],
];

/**
 * Registers each simulated home, its resident and devices through the hub's public API, with
 * ids derived from the seed so a second run reuses them, and issues fresh device secrets.
 */
export async function provisionHomes(api: HubApi, seed: number, count: number): Promise<SimHome[]> {
  const homes: SimHome[] = [];
  for (let index = 0; index < count; index++) {
    const rng = seededRng(seed * 100_003 + index);
    const homeId = `sim-${seed}-${String(index + 1).padStart(3, '0')}`;
    const residentId = `${homeId}-r1`;
    const persona = createPersona(rng);
    await api.ensure(`/api/homes/${homeId}`, '/api/homes', {
      id: homeId, name: `${persona.name.split(' ')[0]}さん宅`, address: createAddress(rng, index), district: `第${1 + (index % 4)}地区`,
    });
    await api.ensureResident(homeId, residentId, persona.name);
    const devices = {} as Record<DeviceRole, DeviceCredentials>;
    for (const [role, suffix, kind] of DEVICES) devices[role] = await api.ensureDevice(homeId, `${homeId}-${suffix}`, kind);
    homes.push({ index, homeId, residentId, persona, devices });
  }
  return homes;
}

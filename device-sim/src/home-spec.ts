import { deviceKindMeaning, type DeviceKind } from '@mimamori/contract';
import type { BatteryModel } from './battery.js';
import { TIMEZONE } from './jst.js';
import { createPersona, everydayHabit, type Persona, type SpeakerHabit } from './persona.js';
import { between, chance, deriveSeed, mulberry32, pick } from './rng.js';

/** What each simulated device is for; the routine and the scenarios address devices by role. */
export type DeviceRole = 'speaker' | 'motion' | 'door' | 'environment' | 'power' | 'sos';

export interface DeviceSpec {
  role: DeviceRole;
  id: string;
  kind: DeviceKind;
  name: string;
  /** Absent for mains-powered devices (speaker, power meter). */
  battery?: BatteryModel;
}

/** Everything about one simulated home that follows from the seed alone, before any I/O. */
export interface HomeSpec {
  index: number;
  homeId: string;
  name: string;
  address: string;
  district: string;
  timezone: string;
  persona: Persona;
  devices: readonly DeviceSpec[];
}

const DEVICES: readonly (Omit<DeviceSpec, 'id' | 'battery'> & { suffix: string })[] = [
  { role: 'speaker', suffix: 'speaker', kind: 'speaker', name: 'スマートスピーカー' },
  { role: 'motion', suffix: 'motion-living', kind: 'motion', name: '居間の人感センサー' },
  { role: 'door', suffix: 'door-entrance', kind: 'door', name: '玄関ドアセンサー' },
  { role: 'environment', suffix: 'env-living', kind: 'environment', name: '居間の温湿度計' },
  { role: 'power', suffix: 'power-main', kind: 'power', name: '分電盤の電力計' },
  { role: 'sos', suffix: 'sos', kind: 'sos_button', name: '緊急ボタン' },
];

const TOWNS = ['本町', '栄町', '緑が丘', '旭町', '若葉台', '桜木町', '東町', '中央'] as const;
const DISTRICTS = ['北地区', '南地区', '東地区', '西地区'] as const;

/** Stream tag for a home's own description, so it never shares draws with its days. */
const SPEC_STREAM = 0x5bec;

/**
 * The n-th simulated home of a seed (n from 0). Ids are deterministic (`sim-{seed}-{001}`,
 * `{homeId}-r1`, `{homeId}-speaker`, …) so that a second run finds and reuses what the first
 * registered. Residents take the everyday speaker habits in turn unless `habit` says otherwise.
 */
export function describeHome(seed: number, index: number, habit: SpeakerHabit = everydayHabit(index)): HomeSpec {
  const rng = mulberry32(deriveSeed(seed, index, SPEC_STREAM));
  const homeId = `sim-${seed}-${String(index + 1).padStart(3, '0')}`;
  const persona = createPersona(rng, `${homeId}-r1`, habit);
  const familyName = persona.name.split(' ')[0] ?? persona.name;
  const town = pick(rng, TOWNS);
  const address = `${town}${1 + Math.floor(rng() * 5)}丁目${1 + Math.floor(rng() * 20)}-${1 + Math.floor(rng() * 12)}`;
  const devices = DEVICES.map(({ suffix, ...device }): DeviceSpec => {
    const spec = { ...device, id: `${homeId}-${suffix}` };
    if (deviceKindMeaning(device.kind).powerSource !== 'battery') return spec;
    // About one sensor in twenty starts nearly flat, so the battery rule has something to find.
    const startPct = chance(rng, 0.05) ? between(rng, 16, 20) : between(rng, 40, 100);
    return { ...spec, battery: { startPct, drainPctPerDay: between(rng, 0.2, 1) } };
  });
  return {
    index,
    homeId,
    name: `${familyName}さん宅`,
    address,
    district: pick(rng, DISTRICTS),
    timezone: TIMEZONE,
    persona,
    devices,
  };
}

import { deviceKindMeaning, type DeviceKind } from '@mimamori/contract';
import type { BatteryModel } from './battery.js';
import { TIMEZONE } from './jst.js';
import { createPersona, everydayHabit, type Persona, type SpeakerHabit } from './persona.js';
import { between, chance, deriveSeed, mulberry32, pick, type Rng } from './rng.js';
import { OPEN_PLAN, perRoom, type Coverage, type Room } from './rooms.js';

/** What each simulated device is for; the routine and the scenarios address devices by role. */
export type DeviceRole = 'speaker' | 'motion' | 'door' | 'environment' | 'power' | 'sos';

export interface DeviceSpec {
  role: DeviceRole;
  id: string;
  kind: DeviceKind;
  name: string;
  /** Absent for mains-powered devices (speaker, power meter). */
  battery?: BatteryModel;
  /** A motion sensor's room: its events carry it. */
  room?: Room;
  /**
   * How often the recorded device says it is alive when nothing else happens (history); absent
   * for one that reports changes only. The live simulator sends its own heartbeats.
   */
  heartbeatEveryMs?: number;
}

/**
 * `open-plan`: one motion sensor in the living room that also sees the kitchen and the hall,
 * as municipal one-sensor services install; `per-room`: a sensor in each room, as in the public
 * smart-home studies (CASAS, ARAS, van Kasteren).
 */
export const LAYOUTS = ['open-plan', 'per-room'] as const;
export type Layout = (typeof LAYOUTS)[number];

/** Everything about one simulated home that follows from the seed alone, before any I/O. */
export interface HomeSpec {
  index: number;
  homeId: string;
  name: string;
  address: string;
  district: string;
  timezone: string;
  persona: Persona;
  layout: Layout;
  /** Which motion sensor sees which room. */
  coverage: Coverage;
  /** Single triggers a day with nobody there to cause them: a pet, warm air from a fridge or heater, a glitch. */
  strayTriggersPerDay: number;
  devices: readonly DeviceSpec[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

type DeviceTemplate = Omit<DeviceSpec, 'id' | 'battery'> & { suffix: string };

/** The devices of every home; a per-room home has more motion sensors after the living room's. */
const DEVICES: readonly DeviceTemplate[] = [
  { role: 'speaker', suffix: 'speaker', kind: 'speaker', name: 'スマートスピーカー' },
  {
    role: 'motion',
    suffix: 'motion-living',
    kind: 'motion',
    name: '居間の人感センサー',
    room: 'living',
  },
  { role: 'door', suffix: 'door-entrance', kind: 'door', name: '玄関ドアセンサー' },
  { role: 'environment', suffix: 'env-living', kind: 'environment', name: '居間の温湿度計' },
  { role: 'power', suffix: 'power-main', kind: 'power', name: '分電盤の電力計' },
  { role: 'sos', suffix: 'sos', kind: 'sos_button', name: '緊急ボタン' },
];
const ROOM_NAMES: Record<Room, string> = {
  living: '居間',
  entrance: '玄関',
  bedroom: '寝室',
  kitchen: '台所',
  toilet: 'トイレ',
  bathroom: '脱衣所',
  closet: '納戸',
};

/**
 * Heartbeats of recorded devices: mains devices check in every 10 min; Zigbee battery sensors
 * (Aqara and the like) about hourly, and Zigbee2MQTT counts them offline after 25 h without one
 * (its passive availability timeout). Sensors of other radios, and logs converted from the
 * public studies, have state changes only. SOS buttons are always supervised.
 */
const MAINS_HEARTBEAT_MS = 10 * MINUTE;
const SENSOR_HEARTBEAT_MS = HOUR;

const TOWNS = ['本町', '栄町', '緑が丘', '旭町', '若葉台', '桜木町', '東町', '中央'] as const;
const DISTRICTS = ['北地区', '南地区', '東地区', '西地区'] as const;

/** Stream tags: a home's own description, its habits and its layout never share draws with its days. */
const SPEC_STREAM = 0x5bec;
const HABITS_STREAM = 0x4ab1;
const LAYOUT_STREAM = 0x1a70;

/**
 * The n-th simulated home of a seed (n from 0). Ids are deterministic (`sim-{seed}-{001}`,
 * `{homeId}-r1`, `{homeId}-speaker`, …) so that a second run finds and reuses what the first
 * registered. Residents take the everyday speaker habits in turn unless `habit` says otherwise.
 * An open-plan home (the default) has the six devices the live simulator runs; a per-room one
 * adds sensors in the bedroom, kitchen and toilet, and in some homes the 脱衣所 and a 納戸.
 */
export function describeHome(
  seed: number,
  index: number,
  habit: SpeakerHabit = everydayHabit(index),
  layout: Layout = 'open-plan',
): HomeSpec {
  const rng = mulberry32(deriveSeed(seed, index, SPEC_STREAM));
  const layoutRng = mulberry32(deriveSeed(seed, index, LAYOUT_STREAM));
  const homeId = `sim-${seed}-${String(index + 1).padStart(3, '0')}`;
  const persona = createPersona(rng, `${homeId}-r1`, habit, mulberry32(deriveSeed(seed, index, HABITS_STREAM)));
  const familyName = persona.name.split(' ')[0] ?? persona.name;
  const town = pick(rng, TOWNS);
  const address = `${town}${1 + Math.floor(rng() * 5)}丁目${1 + Math.floor(rng() * 20)}-${1 + Math.floor(rng() * 12)}`;
  const base = DEVICES.map((template) => device(template, homeId, rng));
  const { strayTriggersPerDay, checksIn, rooms } = layoutTraits(layoutRng);
  const extra = layout === 'per-room' ? rooms.map((room) => device(roomSensor(room), homeId, layoutRng)) : [];
  const devices = [...base.slice(0, 2), ...extra, ...base.slice(2)].map((d) => withHeartbeat(d, layout, checksIn));
  return {
    index,
    homeId,
    name: `${familyName}さん宅`,
    address,
    district: pick(rng, DISTRICTS),
    timezone: TIMEZONE,
    persona,
    layout,
    coverage: layout === 'per-room' ? perRoom(['living', ...rooms]) : OPEN_PLAN,
    strayTriggersPerDay,
    devices,
  };
}

/**
 * What a home has besides its resident: which rooms beyond the living room have a sensor, whether
 * its door and motion sensors check in, and how often something other than the resident trips a
 * sensor. About one household in six keeps a dog or a cat (Japan Pet Food Association's yearly
 * survey); a cat trips PIRs several times a day. The real home of issue 18 had ~15 single
 * triggers in 3½ days while it stood empty.
 */
function layoutTraits(rng: Rng): { strayTriggersPerDay: number; checksIn: boolean; rooms: Room[] } {
  const strayTriggersPerDay = chance(rng, 1 / 6) ? between(rng, 3, 8) : between(rng, 0.1, 1);
  const checksIn = chance(rng, 0.5);
  const rooms: Room[] = ['bedroom', 'kitchen', 'toilet'];
  if (chance(rng, 0.6)) rooms.push('bathroom');
  if (chance(rng, 0.5)) rooms.push('closet');
  return { strayTriggersPerDay, checksIn, rooms };
}

const roomSensor = (room: Room): DeviceTemplate => ({
  role: 'motion',
  suffix: `motion-${room}`,
  kind: 'motion',
  name: `${ROOM_NAMES[room]}の人感センサー`,
  room,
});

function device({ suffix, ...template }: DeviceTemplate, homeId: string, rng: Rng): DeviceSpec {
  const spec = { ...template, id: `${homeId}-${suffix}` };
  if (deviceKindMeaning(template.kind).powerSource !== 'battery') return spec;
  // About one sensor in twenty starts nearly flat, so the battery rule has something to find; a
  // coin cell in a PIR or door contact lasts one to three years.
  const startPct = chance(rng, 0.05) ? between(rng, 16, 20) : between(rng, 40, 100);
  return { ...spec, battery: { startPct, drainPctPerDay: between(rng, 0.1, 0.3) } };
}

/** The open-plan home's sensors check in as before per-room homes existed; a per-room home's as drawn. */
function withHeartbeat(spec: DeviceSpec, layout: Layout, checksIn: boolean): DeviceSpec {
  switch (spec.role) {
    case 'speaker':
    case 'power':
      return { ...spec, heartbeatEveryMs: MAINS_HEARTBEAT_MS };
    case 'sos':
      return { ...spec, heartbeatEveryMs: SENSOR_HEARTBEAT_MS };
    case 'motion':
    case 'door':
      return layout === 'open-plan' || checksIn ? { ...spec, heartbeatEveryMs: SENSOR_HEARTBEAT_MS } : spec;
    case 'environment':
      return spec;
  }
}

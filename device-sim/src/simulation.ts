import type { DeviceCommand } from '@mimamori/contract';
import { DeviceLink } from './device-link.js';
import { HubApi } from './hub-api.js';
import { provisionHomes, type DeviceRole, type SimHome } from './provision.js';
import { planDay } from './routine.js';
import { seededRng, between, type Rng } from './rng.js';
import { SCENARIOS } from './scenarios.js';
import { SimClock, jstDayStart } from './sim-clock.js';

export interface SimulationOptions {
  hub: string;
  mqtt: string;
  homes: number;
  seed: number;
  speed: number;
  scenario: keyof typeof SCENARIOS;
  user: string;
  password: string;
  log?: (line: string) => void;
}

interface Action {
  at: number;
  run: () => void;
}

const HEARTBEAT_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

/** Provisions the homes, connects every device, and plays their routines and the scenario until stopped. */
export async function startSimulation(options: SimulationOptions) {
  const log = options.log ?? (() => {});
  const api = new HubApi(options.hub);
  await api.login(options.user, options.password);
  const homes = await provisionHomes(api, options.seed, options.homes);
  const clock = new SimClock(options.speed);
  const runId = Date.now().toString(36);
  const stats = { published: 0, answered: 0 };
  const queue: Action[] = [];
  const schedule = (at: number, run: () => void) => {
    const index = queue.findIndex((a) => a.at > at);
    queue.splice(index === -1 ? queue.length : index, 0, { at, run });
  };

  const links = new Map<string, DeviceLink>();
  const link = (home: SimHome, role: DeviceRole) => links.get(`${home.homeId}/${role}`) as DeviceLink;
  const publish: (home: SimHome, role: DeviceRole, event: Parameters<DeviceLink['publish']>[0]) => void = (home, role, event) => {
    link(home, role).publish(event);
    stats.published++;
  };

  for (const home of homes) {
    const rng = seededRng(options.seed * 7919 + home.index);
    for (const [role, credentials] of Object.entries(home.devices) as [DeviceRole, (typeof home.devices)[DeviceRole]][]) {
      const device = new DeviceLink(home.homeId, credentials, runId);
      const onCommand = role === 'speaker' ? (command: DeviceCommand) => answer(home, command, rng) : undefined;
      await device.connect(options.mqtt, onCommand, log);
      links.set(`${home.homeId}/${role}`, device);
    }
    planFrom(home, jstDayStart(clock.now()), rng);
  }
  log(`connected ${links.size} devices in ${homes.length} homes (seed ${options.seed}, ${options.speed}× time, scenario ${options.scenario})`);

  /** Plans a home's day and, at its end, the next one; past events of today are skipped. */
  function planFrom(home: SimHome, dayStart: number, rng: Rng): void {
    const now = clock.now();
    for (const planned of planDay(home.persona, dayStart, rng)) {
      if (planned.at >= now) schedule(planned.at, () => publish(home, planned.device, planned.event));
    }
    for (let t = Math.max(dayStart, now) + between(rng, 0, HEARTBEAT_MS); t < dayStart + DAY_MS; t += HEARTBEAT_MS) {
      schedule(t, () => {
        for (const role of Object.keys(home.devices) as DeviceRole[]) publish(home, role, { type: 'heartbeat' });
      });
    }
    schedule(dayStart + DAY_MS, () => planFrom(home, dayStart + DAY_MS, rng));
  }

  /** The speaker answers a prompt after the resident's delay, or not at all. */
  function answer(home: SimHome, command: DeviceCommand, rng: Rng): void {
    if (command.type !== 'prompt' || rng() > home.persona.answerProbability) return;
    const [min, max] = home.persona.answerDelay;
    schedule(clock.now() + between(rng, min, max), () => {
      publish(home, 'speaker', { type: 'checkin', promptId: command.promptId, residentId: command.residentId, answer: rng() < 0.9 ? 'fine' : 'unwell', via: 'voice' });
      stats.answered++;
    });
  }

  SCENARIOS[options.scenario]?.({
    homes,
    after: (afterMs, action) => schedule(clock.now() + afterMs, action),
    publish,
    log,
  });

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = () => {
    const now = clock.now();
    while (queue[0] && queue[0].at <= now) queue.shift()?.run();
    // Wake at the next action, but at least once a second so a new earlier action is not missed.
    if (!stopped) timer = setTimeout(tick, Math.min(1000, queue[0] ? clock.realDelayUntil(queue[0].at) : 1000));
  };
  tick();

  return {
    homes,
    stats,
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await Promise.all([...links.values()].map((device) => device.close()));
    },
  };
}

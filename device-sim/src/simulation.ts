import { z } from 'zod';
import { systemClock, type Clock } from '@mimamori/contract';
import { silentLog, type Log } from '@mimamori/device-link';
import { SimClock } from './clock.js';
import { describeHome, type HomeSpec } from './home-spec.js';
import { HomeRunner } from './home-runner.js';
import { HubApi } from './hub-api.js';
import { provisionHome, type ProvisionedHome } from './provision.js';
import { SCENARIOS } from './scenarios/index.js';
import { Scheduler } from './scheduler.js';
import { simulationSettings, type SimulationSettingsInput } from './settings.js';
import { createStats, type SimulationStats } from './stats.js';

export interface SimulationOptions extends SimulationSettingsInput {
  log?: Log;
  /** Real time (the simulated clock starts at its now); tests may pass their own. */
  clock?: Clock;
}

export interface Simulation {
  readonly homes: readonly HomeSpec[];
  /** Live counters, updated while the simulation runs. */
  readonly stats: Readonly<SimulationStats>;
  /** Stops every routine and disconnects every device, saying "offline" first; idempotent. */
  stop(): Promise<void>;
}

/**
 * Provisions the simulated homes through the hub's API, connects every device over MQTT,
 * and plays their routines and the chosen scenario until stopped.
 */
export async function startSimulation(options: SimulationOptions): Promise<Simulation> {
  const { log = silentLog, clock: realClock = systemClock, ...input } = options;
  // Strict, so a misspelt option fails loudly instead of silently taking its default.
  const parsed = simulationSettings.strict().safeParse(input);
  if (!parsed.success) throw new Error(`invalid simulation options:\n${z.prettifyError(parsed.error)}`);
  const settings = parsed.data;
  const brokerUrl = settings.mqtt ?? `mqtt://${new URL(settings.hub).hostname}:1883`;

  log.info(`provisioning ${settings.homes} homes on ${settings.hub} (seed ${settings.seed})`);
  const api = new HubApi(settings.hub);
  await api.login(settings.user, settings.password);
  const provisioned: ProvisionedHome[] = [];
  for (let index = 0; index < settings.homes; index++) {
    const habit = settings.speakers[String(index + 1)];
    provisioned.push(
      await provisionHome(
        api,
        habit ? describeHome(settings.seed, index, habit) : describeHome(settings.seed, index),
        settings.checkin,
      ),
    );
  }
  const created = provisioned.reduce((sum, home) => sum + home.created, 0);
  log.info(
    `provisioned ${provisioned.length} homes (${created} records created, the rest reused); issued fresh device secrets`,
  );

  const scheduler = new Scheduler({
    clock: new SimClock(realClock, settings.speed),
    onError: (error) => log.error(`simulation step failed: ${(error as Error).message}`),
  });
  const stats = createStats();
  const runId = `r${realClock.now().toString(36)}`;
  const runners = provisioned.map(
    (home) =>
      new HomeRunner({
        home,
        seed: settings.seed,
        brokerUrl,
        runId,
        realClock,
        scheduler,
        stats,
        log,
        ...(settings.answerProbability === undefined ? {} : { answerProbability: settings.answerProbability }),
      }),
  );
  try {
    for (const runner of runners) await runner.connect();
  } catch (error) {
    await Promise.all(runners.map((runner) => runner.close()));
    throw error;
  }
  log.info(
    `connected ${stats.devicesConnected} devices in ${runners.length} homes to ${brokerUrl} (${settings.speed}× time, scenario ${settings.scenario})`,
  );

  for (const runner of runners) runner.start();
  SCENARIOS[settings.scenario].start({
    homes: runners,
    after: (delayMs, action) => void scheduler.after(delayMs, action),
    log,
  });
  scheduler.start();

  let stopping: Promise<void> | undefined;
  return {
    homes: provisioned.map((home) => home.spec),
    stats,
    stop: () =>
      (stopping ??= (async () => {
        scheduler.stop();
        await Promise.all(runners.map((runner) => runner.close()));
      })()),
  };
}

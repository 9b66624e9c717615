import type { DeviceCommand, DeviceEventBody } from '@mimamori/contract';
import { batteryLevel } from './battery.js';
import type { Clock } from '@mimamori/contract';
import { DeviceLink, isPromptExpired, type Log } from '@mimamori/device-link';
import type { DeviceRole, DeviceSpec } from './home-spec.js';
import { DAY_MS, jstDayNumber, jstDayStart, toJstIso } from './jst.js';
import type { ProvisionedHome } from './provision.js';
import { deriveSeed, mulberry32, type Rng } from './rng.js';
import { planDay } from './routine.js';
import type { Scheduler } from './scheduler.js';
import { answerPrompt } from './speaker.js';
import { countPublished, type SimulationStats } from './stats.js';

/** Every device says it is alive this often (simulated time), whatever else it reports. */
export const HEARTBEAT_MS = 5 * 60_000;

// Stream tags: each use of randomness has its own stream, so adding draws to one never shifts another.
const SPEAKER_STREAM = 0x5eea;
const HEARTBEAT_STREAM = 0x4ea7;

export interface HomeRunnerDeps {
  home: ProvisionedHome;
  seed: number;
  brokerUrl: string;
  runId: string;
  /** Real time, for event timestamps. */
  realClock: Clock;
  scheduler: Scheduler;
  stats: SimulationStats;
  log: Log;
  /** Overrides every resident's probability of answering a prompt (0–1). */
  answerProbability?: number;
}

/**
 * One simulated home: its devices' connections, its resident's days played through the
 * scheduler, heartbeats, draining batteries, and the speaker answering prompts.
 */
export class HomeRunner {
  /** By device id: a per-room home has several motion sensors. */
  readonly #links: ReadonlyMap<string, DeviceLink>;
  readonly #pendingAnswers = new Map<string, () => void>();
  /** Prompts heard per check-in (re-prompts repeat the promptId), until it expires. */
  readonly #heard = new Map<string, { times: number; expiresAt: string }>();
  readonly #speakerRng: Rng;
  #startedAt = 0;

  constructor(private readonly deps: HomeRunnerDeps) {
    const { home, brokerUrl, runId, realClock, log } = deps;
    this.#speakerRng = mulberry32(deriveSeed(deps.seed, home.spec.index, SPEAKER_STREAM));
    this.#links = new Map(
      home.devices.map(({ spec, credentials }) => {
        const onCommand = spec.role === 'speaker' ? (command: DeviceCommand) => this.#onCommand(command) : undefined;
        const link = new DeviceLink({
          brokerUrl,
          homeId: home.spec.homeId,
          credentials,
          eventIdPrefix: runId,
          clock: realClock,
          formatTime: toJstIso,
          log,
          ...(onCommand ? { onCommand } : {}),
        });
        return [spec.id, link];
      }),
    );
  }

  get homeId(): string {
    return this.deps.home.spec.homeId;
  }

  get residentId(): string {
    return this.deps.home.spec.persona.residentId;
  }

  get residentName(): string {
    return this.deps.home.spec.persona.name;
  }

  async connect(): Promise<void> {
    await Promise.all([...this.#links.values()].map((link) => link.connect()));
    this.deps.stats.devicesConnected += this.#links.size;
  }

  /** Plans today from now on (what already passed today is skipped), then each next day at midnight. */
  start(): void {
    const { scheduler, home, seed } = this.deps;
    this.#startedAt = scheduler.now();
    this.#planDay(jstDayStart(this.#startedAt));
    const rng = mulberry32(deriveSeed(seed, home.spec.index, HEARTBEAT_STREAM));
    for (const { spec } of home.devices) this.#heartbeat(spec, this.#startedAt + rng() * HEARTBEAT_MS);
  }

  /**
   * Publishes from the device with this role (for motion, the sensor of the event's room), with
   * its battery level if it has a battery.
   */
  publish(role: DeviceRole, body: DeviceEventBody): void {
    const ofRole = this.deps.home.devices.filter((d) => d.spec.role === role);
    const device = (body.type === 'motion' && ofRole.find((d) => d.spec.room === body.room)) || ofRole[0];
    if (device) this.#publishFrom(device.spec, body);
  }

  #publishFrom(spec: DeviceSpec, body: DeviceEventBody): void {
    const link = this.#links.get(spec.id);
    if (!link) return;
    const battery = spec.battery && batteryLevel(spec.battery, this.deps.scheduler.now() - this.#startedAt);
    link.publish(body, battery);
    countPublished(this.deps.stats, body.type);
  }

  async close(): Promise<void> {
    for (const cancel of this.#pendingAnswers.values()) cancel();
    this.#pendingAnswers.clear();
    await Promise.all([...this.#links.values()].map((link) => link.close()));
  }

  #planDay(dayStart: number): void {
    const { scheduler, home, seed } = this.deps;
    const now = scheduler.now();
    // Seeded by the calendar day, so a day's plan does not depend on when the run started.
    const plan = planDay(
      home.spec.persona,
      dayStart,
      mulberry32(deriveSeed(seed, home.spec.index, jstDayNumber(dayStart))),
      home.spec.coverage,
    );
    for (const { at, device, event } of plan.events) {
      if (at >= now) scheduler.at(at, () => this.publish(device, event));
    }
    scheduler.at(dayStart + DAY_MS, () => this.#planDay(dayStart + DAY_MS));
  }

  /** Counts this prompt for its check-in and forgets check-ins whose prompts have expired. */
  #hear(command: Extract<DeviceCommand, { type: 'prompt' }>): number {
    const now = this.deps.realClock.now();
    for (const [promptId, heard] of this.#heard) if (isPromptExpired(heard, now)) this.#heard.delete(promptId);
    const times = (this.#heard.get(command.promptId)?.times ?? 0) + 1;
    this.#heard.set(command.promptId, { times, expiresAt: command.expiresAt });
    return times;
  }

  #heartbeat(spec: DeviceSpec, at: number): void {
    this.deps.scheduler.at(at, () => {
      this.#publishFrom(spec, { type: 'heartbeat' });
      this.#heartbeat(spec, at + HEARTBEAT_MS);
    });
  }

  #onCommand(command: DeviceCommand): void {
    const { scheduler, stats, log, home, answerProbability } = this.deps;
    switch (command.type) {
      case 'prompt': {
        stats.promptsReceived++;
        const attempt = this.#hear(command);
        // Already about to answer this check-in: a re-prompt changes nothing.
        if (this.#pendingAnswers.has(command.promptId)) return;
        const planned = answerPrompt(home.spec.persona, command, this.#speakerRng, attempt, answerProbability);
        if (!planned)
          return log.info(`${this.homeId}: prompt ${command.promptId} (attempt ${attempt}) goes unanswered`);
        const cancel = scheduler.after(planned.delayMs, () => {
          this.#pendingAnswers.delete(command.promptId);
          this.publish('speaker', planned.event);
          stats.promptsAnswered++;
          log.info(`${this.homeId}: answered prompt ${command.promptId}`);
        });
        this.#pendingAnswers.set(command.promptId, cancel);
        return;
      }
      case 'cancel':
        this.#heard.delete(command.promptId);
        this.#pendingAnswers.get(command.promptId)?.();
        this.#pendingAnswers.delete(command.promptId);
        return;
      case 'announce':
        return log.info(`${this.homeId}: speaker announces "${command.text}"`);
    }
  }
}

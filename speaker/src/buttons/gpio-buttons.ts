import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { Log } from '@mimamori/device-link';
import type { Clock } from '@mimamori/contract';
import { missingProgram } from '../system/run.js';
import type { Button } from './button-presses.js';

export interface GpioOptions {
  /** `gpiochip0` (Raspberry Pi 1–4) or `gpiochip4` / `gpiochip0` (Pi 5; `gpiodetect` lists them). */
  chip: string;
  /** Line offset (the BCM GPIO number on a Pi) → button. */
  lines: ReadonlyMap<number, Button>;
  /** Buttons wired to ground with the pull-up on: pressed reads low (the usual wiring). */
  activeLow: boolean;
  onKey: (button: Button, down: boolean) => void;
  onLost: () => void;
  clock: Clock;
  log: Log;
}

/** Contacts bounce for a few milliseconds; a change on the same line sooner than this is ignored. */
const DEBOUNCE_MS = 30;
const RESTART_MS = 5000;

/** An edge as gpiomon prints it with our format: v1 `-F '%o %e'` (0 falling, 1 rising), v2 `-F '%o %E'`. */
export function parseGpiomonLine(line: string): { offset: number; rising: boolean } | undefined {
  const match = /^\s*(\d+)\s+(0|1|2|rising|falling)\s*$/.exec(line);
  if (!match) return undefined;
  // v1 prints 0 for falling and 1 for rising; v2's numeric %e is 1 rising and 2 falling.
  return { offset: Number(match[1]), rising: match[2] === '1' || match[2] === 'rising' };
}

/** The arguments for libgpiod's gpiomon, whose options changed between v1 (Debian 12) and v2 (Debian 13). */
export function gpiomonArgs(major: number, chip: string, offsets: readonly number[]): string[] {
  const lines = offsets.map(String);
  return major >= 2
    ? ['-c', chip, '-b', 'pull-up', '-p', `${DEBOUNCE_MS}ms`, '-F', '%o %E', ...lines]
    : ['-b', '-B', 'pull-up', '-F', '%o %e', chip, ...lines];
}

/** gpiomon's major version from `gpiomon --version` ("gpiomon (libgpiod) v1.6.3"). */
export function gpiomonMajor(versionOutput: string): number {
  return Number(/v(\d+)\./.exec(versionOutput)?.[1] ?? 1);
}

/**
 * Buttons on GPIO lines, through libgpiod's `gpiomon` (Debian package `gpiod`) rather than a
 * native addon: it is the kernel's character-device interface, works on every Pi model, and
 * needs no build on the device. If gpiomon exits, it is started again after 5 s.
 */
export class GpioButtons {
  #child: ChildProcess | undefined;
  #stopped = true;
  #cancelRestart: (() => void) | undefined;
  readonly #lastChange = new Map<number, number>();

  constructor(private readonly options: GpioOptions) {}

  start(): void {
    this.#stopped = false;
    this.#spawn();
  }

  stop(): void {
    this.#stopped = true;
    this.#cancelRestart?.();
    this.#child?.kill('SIGTERM');
    this.#child = undefined;
  }

  /** Acts on one line of gpiomon's output. */
  handleLine(line: string): void {
    const { lines, activeLow, onKey, clock } = this.options;
    const edge = parseGpiomonLine(line);
    const button = edge && lines.get(edge.offset);
    if (!edge || !button) return;
    const now = clock.now();
    if (now - (this.#lastChange.get(edge.offset) ?? Number.NEGATIVE_INFINITY) < DEBOUNCE_MS) return;
    this.#lastChange.set(edge.offset, now);
    onKey(button, edge.rising !== activeLow);
  }

  #spawn(): void {
    const { chip, lines, log, clock, onLost } = this.options;
    const version = spawnSync('gpiomon', ['--version'], { encoding: 'utf8' });
    if (version.error) {
      log.error(`GPIO buttons off: ${missingProgram('gpiomon').message}`);
      return;
    }
    const child = spawn('gpiomon', gpiomonArgs(gpiomonMajor(version.stdout), chip, [...lines.keys()]), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const line of complete) this.handleLine(line);
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-500)));
    child.on('close', (code) => {
      if (this.#child !== child) return;
      this.#child = undefined;
      onLost();
      if (this.#stopped) return;
      log.error(`gpiomon on ${chip} exited (${code}): ${stderr.trim()}; starting it again in ${RESTART_MS / 1000} s`);
      this.#cancelRestart = clock.setTimer(() => this.#spawn(), RESTART_MS);
    });
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const MAIN = fileURLToPath(new URL('../../hub/dist/main.js', import.meta.url));

export interface HubProcess {
  process: ChildProcess;
  http: string;
  mqttPort: number;
  dataDir: string;
  output: () => string;
  /** SIGKILL: no shutdown hook runs, as in a crash or power cut. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** The line the hub prints for programs once it listens (hub/src/main.ts). */
export const readyLine = z.object({
  mimamori: z.literal('ready'),
  http: z.object({ url: z.string(), port: z.number().int() }),
  mqtt: z.object({ url: z.string(), port: z.number().int() }),
});
export type ReadyLine = z.infer<typeof readyLine>;

/** The ready line among a process's output lines, once it has been printed. */
export function findReadyLine(output: string): ReadyLine | undefined {
  // The text after the last newline may be a line still being written.
  for (const line of output.split('\n').slice(0, -1)) {
    if (!line.startsWith('{"mimamori":')) continue;
    const parsed = readyLine.safeParse(JSON.parse(line));
    if (parsed.success) return parsed.data;
  }
  return undefined;
}

/**
 * Starts the built hub (`hub/dist/main.js`) as its own process on free ports of 127.0.0.1 and
 * waits for its ready line.
 */
export async function startHubProcess(
  env: Record<string, string> = {},
  dataDir = mkdtempSync(join(tmpdir(), 'mimamori-hub-')),
): Promise<HubProcess> {
  const { child, output } = spawnHub(env, dataDir);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 20_000;
  let ready: ReadyLine | undefined;
  while (!(ready = findReadyLine(output()))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the hub did not start:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    process: child,
    http: ready.http.url,
    mqttPort: ready.mqtt.port,
    dataDir,
    output,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Runs the built hub until it exits, for the ways it refuses to start: its exit code and all it
 * printed. Fails if it is still running after `timeoutMs` (and stops it).
 */
export async function runHubUntilExit(
  env: Record<string, string>,
  options: { dataDir?: string; uid?: number; gid?: number; timeoutMs?: number } = {},
): Promise<{ code: number | null; output: string }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mimamori-hub-'));
  const { child, output } = spawnHub(env, dataDir, options);
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the hub did not exit within ${options.timeoutMs ?? 20_000} ms:\n${output()}`));
    }, options.timeoutMs ?? 20_000);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  return { code, output: output() };
}

/** The built hub as a demo-mode process on free ports of 127.0.0.1, with `env` over those defaults. */
function spawnHub(env: Record<string, string>, dataDir: string, user: { uid?: number; gid?: number } = {}) {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      MIMAMORI_MODE: 'demo',
      MIMAMORI_DATA_DIR: dataDir,
      MIMAMORI_HTTP_PORT: '0',
      MIMAMORI_MQTT_PORT: '0',
      MIMAMORI_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(user.uid !== undefined && { uid: user.uid }),
    ...(user.gid !== undefined && { gid: user.gid }),
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { child, output: () => text };
}

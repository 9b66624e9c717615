import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/**
 * Starts the built hub (`hub/dist/main.js`) as its own process on free ports of 127.0.0.1 and
 * waits for the lines in which it prints where it listens.
 */
export async function startHubProcess(
  env: Record<string, string> = {},
  dataDir = mkdtempSync(join(tmpdir(), 'mimamori-hub-')),
): Promise<HubProcess> {
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
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 20_000;
  let ports: { http: string; mqtt: number } | undefined;
  while (!ports) {
    const http = /HTTP API: +(https?:\/\/[\d.]+:\d+)/.exec(output)?.[1];
    const mqtt = /MQTT: +mqtts?:\/\/[\d.]+:(\d+)/.exec(output)?.[1];
    if (http && mqtt) ports = { http, mqtt: Number(mqtt) };
    else if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the hub did not start:\n${output}`);
    else await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    process: child,
    http: ports.http,
    mqttPort: ports.mqtt,
    dataDir,
    output: () => output,
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

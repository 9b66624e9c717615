import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../device-sim/dist/cli.js', import.meta.url));

export interface DeviceSimProcess {
  output: () => string;
  /** SIGTERM: the simulator says "offline" from every device and exits. */
  stop(): Promise<number | null>;
}

/** Runs the built device-sim CLI (`device-sim/dist/cli.js`) with the given arguments. */
export function startDeviceSimProcess(args: readonly string[]): DeviceSimProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

import { spawn } from 'node:child_process';
import { connect } from 'node:net';

export interface Mosquitto {
  port: number;
  /** SIGHUP: re-reads the password file and ACL. */
  reload(): void;
  stop(): Promise<void>;
  output: () => string;
}

/** Runs Debian's `mosquitto` with `configFile` (which sets the listener on `port`) and waits until it accepts connections. */
export async function startMosquitto(configFile: string, port: number): Promise<Mosquitto> {
  const child = spawn('mosquitto', ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const listening = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (listening) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`mosquitto did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    reload: () => child.kill('SIGHUP'),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    output: () => output,
  };
}

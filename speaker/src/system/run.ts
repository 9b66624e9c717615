import { spawn } from 'node:child_process';

/** Debian packages of the programs the speaker runs, for error messages an installer can act on. */
export const DEBIAN_PACKAGES: Record<string, string> = {
  open_jtalk: 'open-jtalk',
  'espeak-ng': 'espeak-ng',
  aplay: 'alsa-utils',
  arecord: 'alsa-utils',
  paplay: 'pulseaudio-utils',
  'pw-play': 'pipewire-bin',
  gpiomon: 'gpiod',
};

/** A program the speaker needs is not installed; the message names its Debian package. */
export function missingProgram(command: string): Error {
  const pkg = DEBIAN_PACKAGES[command];
  return new Error(`${command} is not installed${pkg ? ` (apt-get install ${pkg})` : ''}`);
}

/**
 * Runs a program to completion, with `input` on its standard input; rejects with its exit
 * status and the end of its standard error when it fails.
 */
export function run(command: string, args: readonly string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? missingProgram(command) : error),
    );
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      reject(new Error(`${command} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').at(-1) ?? ''}`));
    });
    child.stdin.on('error', () => undefined); // a program that exits early closes its input; the exit says why
    child.stdin.end(input ?? '');
  });
}

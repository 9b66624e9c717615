import { spawnSync } from 'node:child_process';

/**
 * Whether an external program the tests need is installed. Under CI (`CI=true`) a missing
 * program fails the run — it must never turn into a silent skip; locally the suite is
 * skipped with the reason printed, so a developer without it can still run the rest.
 */
export function requireTool(command: string, debianPackage: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
  if (found) return true;
  const message = `${command} is not installed (Debian package ${debianPackage}; .ci/run installs it)`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping: ${message}`);
  return false;
}

/** Whether this process runs as root, which a test needs for `purpose`; as strict as requireTool under CI. */
export function requireRoot(purpose: string): boolean {
  if (process.getuid?.() === 0) return true;
  const message = `${purpose} needs root (.ci/run runs as root)`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping: ${message}`);
  return false;
}

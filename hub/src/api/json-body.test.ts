import { describe, expect, it } from 'vitest';
import { parseJsonBody } from './json-body.js';

describe('parseJsonBody', () => {
  it('parses JSON, including keys that merely contain the refused names', () => {
    expect(parseJsonBody('{"a":[1,{"b":null}],"constructorName":"x","constructor":"plain"}')).toEqual({
      a: [1, { b: null }],
      constructorName: 'x',
      constructor: 'plain',
    });
  });

  it.each([
    ['{"__proto__":{"isAdmin":true}}', 'body.__proto__'],
    ['{"tiers":[{"name":"近隣"},{"__proto__":{}}]}', 'body.tiers[1].__proto__'],
    ['{"a":{"constructor":{"prototype":{"polluted":1}}}}', 'body.a.constructor'],
    ['[{"x":{"__proto__":1}}]', 'body[0].x.__proto__'],
  ])('refuses %s, naming %s', (text, path) => {
    expect(() => parseJsonBody(text)).toThrow(`${path}: this key is not allowed`);
  });

  it('says an empty or broken body is not JSON, with the failing field named', () => {
    expect(() => parseJsonBody('')).toThrow(/^body: must not be empty/);
    expect(() => parseJsonBody('{"a":')).toThrow(/^body: not valid JSON/);
  });

  it('walks 40,000 levels without running out of stack', () => {
    const deep = `${'['.repeat(40_000)}{"constructor":{"prototype":1}}${']'.repeat(40_000)}`;
    expect(() => parseJsonBody(deep)).toThrow(/\.constructor: this key is not allowed/);
  });
});

import { describe, expect, it } from 'vitest';
import { sharedDataParser } from './event-rows.js';

describe('a long read’s data parser', () => {
  it('parses a repeated text once and hands back the same frozen value', () => {
    const parse = sharedDataParser();
    const first = parse('{"battery":98}');
    expect(first).toEqual({ battery: 98 });
    expect(parse('{"battery":98}')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(parse('{"battery":97}')).toEqual({ battery: 97 });
  });

  it('forgets what it parsed once it holds its limit, and still parses every text', () => {
    const parse = sharedDataParser(2);
    const a = parse('{"watts":1}');
    parse('{"watts":2}');
    expect(parse('{"watts":3}')).toEqual({ watts: 3 });
    // The third text cleared the first two: the first is parsed anew.
    const again = parse('{"watts":1}');
    expect(again).toEqual(a);
    expect(again).not.toBe(a);
  });
});

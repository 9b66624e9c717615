import { describe, expect, it } from 'vitest';
import { remember } from './recent-map.js';

describe('a map of recently used entries', () => {
  it('keeps a small map at its size, forgetting the least recently used first', () => {
    const map = new Map<string, number>();
    remember(map, 'a', 1, 2);
    remember(map, 'b', 2, 2);
    remember(map, 'a', 3, 2); // used again: now the most recent
    remember(map, 'c', 4, 2);
    expect([...map]).toEqual([
      ['a', 3],
      ['c', 4],
    ]);
  });

  it('forgets a sixteenth of a large map at once when it overflows, the oldest first', () => {
    const map = new Map<number, number>();
    for (let i = 0; i < 33; i += 1) remember(map, i, i, 32);
    // 33 entries are over 32: the oldest 1 + 32/16 = 3 go.
    expect([...map.keys()]).toEqual(Array.from({ length: 30 }, (_, i) => i + 3));
  });
});

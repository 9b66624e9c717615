import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ButtonPress } from '../buttons/button-presses.js';
import { ConsoleInput, readConsoleLine } from './console-input.js';

describe('console mode', () => {
  it('reads typed lines as presses or words', () => {
    expect(readConsoleLine('g')).toEqual({ press: { button: 'green', long: false } });
    expect(readConsoleLine(' 赤 ')).toEqual({ press: { button: 'red', long: false } });
    expect(readConsoleLine('gg')).toEqual({ press: { button: 'green', long: true } });
    expect(readConsoleLine('元気です')).toEqual({ words: '元気です' });
    expect(readConsoleLine('q')).toEqual({ quit: true });
    expect(readConsoleLine('   ')).toBeUndefined();
  });

  it('hears typed words only while listening after a question; presses at any time', async () => {
    const input = new PassThrough();
    const presses: ButtonPress[] = [];
    const printed: string[] = [];
    let quit = false;
    const typed = new ConsoleInput({
      onPress: (p) => presses.push(p),
      onQuit: () => (quit = true),
      print: (t) => printed.push(t),
    });
    typed.start(input);
    input.write('もう一度\n');
    input.write('y\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(printed).toEqual([expect.stringMatching(/^\(not listening now/)]);
    expect(presses).toEqual([{ button: 'yellow', long: false }]);
    const heard = typed.listen({ maxMs: 5000, signal: new AbortController().signal });
    input.write('調子が悪いです\n');
    expect(await heard).toBe('調子が悪いです');
    const aborted = new AbortController();
    const nothing = typed.listen({ maxMs: 5000, signal: aborted.signal });
    aborted.abort();
    expect(await nothing).toBeUndefined();
    input.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(quit).toBe(true);
  });
});

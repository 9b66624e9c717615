import { createInterface } from 'node:readline';
import type { Button, ButtonPress } from '../buttons/button-presses.js';
import type { Recogniser } from './recogniser.js';

/** What a typed line means in console mode: a button, or words to the speaker. */
export function readConsoleLine(line: string): { press: ButtonPress } | { words: string } | { quit: true } | undefined {
  const text = line.trim();
  if (text === '') return undefined;
  const lower = text.toLowerCase();
  if (lower === 'q' || lower === 'quit' || lower === 'exit') return { quit: true };
  if (lower === 'gg' || lower === 'status' || text === '緑長押し') return { press: { button: 'green', long: true } };
  const button = CONSOLE_BUTTONS[lower] ?? CONSOLE_BUTTONS[text];
  return button ? { press: { button, long: false } } : { words: text };
}

const CONSOLE_BUTTONS: Record<string, Button> = {
  g: 'green',
  green: 'green',
  緑: 'green',
  y: 'yellow',
  yellow: 'yellow',
  黄: 'yellow',
  r: 'red',
  red: 'red',
  赤: 'red',
  a: 'repeat',
  again: 'repeat',
};

export const CONSOLE_HELP =
  'Type g (緑 元気), y (黄 調子が悪い), r (赤 助けて), a (repeat), gg (long green: status), or words as if spoken (元気です, もう一度); q quits.';

/**
 * Trying the speaker without hardware: lines typed on standard input are button presses or,
 * while the speaker awaits an answer, the words "heard" (the console is its recogniser).
 */
export class ConsoleInput implements Recogniser {
  #listener: ((words: string) => void) | undefined;

  constructor(
    private readonly handlers: {
      onPress: (press: ButtonPress) => void;
      onQuit: () => void;
      print: (text: string) => void;
    },
  ) {}

  start(input: NodeJS.ReadableStream = process.stdin): void {
    const lines = createInterface({ input });
    lines.on('line', (line) => {
      const read = readConsoleLine(line);
      if (!read) return;
      if ('quit' in read) return this.handlers.onQuit();
      if ('press' in read) return this.handlers.onPress(read.press);
      if (this.#listener) return this.#listener(read.words);
      this.handlers.print('(not listening now: words are heard only after a question; buttons work at any time)');
    });
    lines.on('close', () => this.handlers.onQuit());
  }

  listen({ maxMs, signal }: { maxMs: number; signal: AbortSignal }): Promise<string | undefined> {
    return new Promise((resolve) => {
      const finish = (words: string | undefined) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', abort);
        if (this.#listener === listen) this.#listener = undefined;
        resolve(words);
      };
      const listen = (words: string) => finish(words);
      const abort = () => finish(undefined);
      const timer = setTimeout(() => finish(undefined), maxMs);
      signal.addEventListener('abort', abort);
      this.#listener = listen;
    });
  }

  close(): void {
    this.#listener = undefined;
  }
}

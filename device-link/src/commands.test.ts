import { describe, expect, it } from 'vitest';
import { isPromptExpired, readCommand } from './commands.js';
import { localIsoTime } from './local-time.js';

const prompt = {
  type: 'prompt',
  id: 'c1',
  promptId: 'p1',
  residentId: 'r1',
  text: 'おはようございます。',
  choices: ['fine', 'unwell', 'help'],
  expiresAt: '2026-11-22T10:00:00+09:00',
};

describe('reading a command', () => {
  it('reads a prompt with the contract’s defaults (Japanese, no items)', () => {
    expect(readCommand(Buffer.from(JSON.stringify(prompt)))).toEqual({
      ok: true,
      command: { ...prompt, lang: 'ja', items: [] },
    });
  });

  it.each([
    ['not JSON', 'hello', 'payload: '],
    ['an unknown type', JSON.stringify({ type: 'reboot', id: 'x' }), 'type: '],
    ['a prompt without text', JSON.stringify({ ...prompt, text: '' }), 'text: '],
    ['a cancel without promptId', JSON.stringify({ type: 'cancel', id: 'x' }), 'promptId: '],
  ])('refuses %s, naming the field', (_name, payload, reason) => {
    const reading = readCommand(Buffer.from(payload));
    expect(reading.ok).toBe(false);
    expect(reading.ok ? '' : reading.reason).toMatch(new RegExp(`^${reason}`));
  });
});

describe('prompt expiry', () => {
  it('is over at expiresAt, and at once when the time cannot be read', () => {
    const at = Date.parse(prompt.expiresAt);
    expect(isPromptExpired(prompt, at - 1)).toBe(false);
    expect(isPromptExpired(prompt, at)).toBe(true);
    expect(isPromptExpired({ expiresAt: 'tomorrow' }, 0)).toBe(true);
  });
});

describe('device timestamps', () => {
  it('are ISO 8601 in the machine’s zone with its offset, naming the same instant', () => {
    const ms = Date.parse('2026-11-22T00:00:00Z');
    const stamped = localIsoTime(ms);
    expect(stamped).toMatch(/^2026-11-2[12]T\d\d:00:00\.000[+-]\d\d:\d\d$/);
    expect(Date.parse(stamped)).toBe(ms);
  });
});

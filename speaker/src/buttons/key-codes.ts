/**
 * Key names of linux/input-event-codes.h that big-button keypads and USB foot switches send,
 * so a config can say `KEY_F1` rather than 59. `evtest` shows what a keypad sends.
 */
const NAMED: Record<string, number> = {
  KEY_ESC: 1,
  KEY_BACKSPACE: 14,
  KEY_TAB: 15,
  KEY_ENTER: 28,
  KEY_SPACE: 57,
  KEY_KPENTER: 96,
  KEY_UP: 103,
  KEY_LEFT: 105,
  KEY_RIGHT: 106,
  KEY_DOWN: 108,
  KEY_VOLUMEDOWN: 114,
  KEY_VOLUMEUP: 115,
  KEY_NEXTSONG: 163,
  KEY_PLAYPAUSE: 164,
  KEY_PREVIOUSSONG: 165,
  KEY_KP7: 71,
  KEY_KP8: 72,
  KEY_KP9: 73,
  KEY_KP4: 75,
  KEY_KP5: 76,
  KEY_KP6: 77,
  KEY_KP1: 79,
  KEY_KP2: 80,
  KEY_KP3: 81,
  KEY_KP0: 82,
  KEY_F11: 87,
  KEY_F12: 88,
};
// KEY_1…KEY_9 are 2…10 and KEY_0 is 11; KEY_F1…KEY_F10 are 59…68; BTN_0…BTN_9 are 0x100…0x109.
for (let n = 1; n <= 9; n++) NAMED[`KEY_${n}`] = n + 1;
NAMED.KEY_0 = 11;
for (let n = 1; n <= 10; n++) NAMED[`KEY_F${n}`] = 58 + n;
for (let n = 0; n <= 9; n++) NAMED[`BTN_${n}`] = 0x100 + n;
const LETTERS = 'QWERTYUIOP ASDFGHJKL ZXCVBNM'.split(' ');
const ROW_START = [16, 30, 44];
LETTERS.forEach((row, r) => [...row].forEach((letter, i) => (NAMED[`KEY_${letter}`] = (ROW_START[r] ?? 0) + i)));

/** A key code from its name (`KEY_1`) or number; undefined for a name this table does not know. */
export function keyCode(key: string | number): number | undefined {
  if (typeof key === 'number') return key;
  return NAMED[key.toUpperCase()];
}

export const KNOWN_KEY_NAMES: readonly string[] = Object.keys(NAMED);

import type { Clock } from '@mimamori/contract';

/** 緑「元気」, 黄「調子が悪い」, 赤「助けて」, and an optional fourth key that repeats the question. */
export const BUTTONS = ['green', 'yellow', 'red', 'repeat'] as const;
export type Button = (typeof BUTTONS)[number];

/** A press as the speaker acts on it; only green has a long press (say the connection status). */
export type ButtonPress = { button: Button; long: boolean };

/**
 * Turns key downs and ups (from a keypad or GPIO, any number of sources) into presses. Red,
 * yellow and repeat act on the way down: someone in trouble may not let go cleanly, and a
 * press is never lost to a short hold. Green acts on release, or as a long press once held for
 * `longPressMs` (then its release does nothing). A key held down repeats nothing.
 */
export class ButtonPresses {
  readonly #held = new Map<Button, { cancelLong: () => void; longFired: boolean }>();

  constructor(private readonly deps: { clock: Clock; longPressMs: number; onPress: (press: ButtonPress) => void }) {}

  down(button: Button): void {
    if (this.#held.has(button)) return;
    const { clock, longPressMs, onPress } = this.deps;
    const state = { cancelLong: () => {}, longFired: false };
    this.#held.set(button, state);
    if (button !== 'green') return onPress({ button, long: false });
    state.cancelLong = clock.setTimer(() => {
      state.longFired = true;
      onPress({ button, long: true });
    }, longPressMs);
  }

  up(button: Button): void {
    const state = this.#held.get(button);
    if (!state) return;
    this.#held.delete(button);
    state.cancelLong();
    if (button === 'green' && !state.longFired) this.deps.onPress({ button, long: false });
  }

  /** Forgets keys held down (their source went away: a keypad unplugged mid-press). */
  releaseAll(): void {
    for (const state of this.#held.values()) state.cancelLong();
    this.#held.clear();
  }
}

import type { Log } from '@mimamori/device-link';
import type { Clock } from '@mimamori/contract';
import type { SpeakerSettings } from '../config.js';
import { BUTTONS, type Button, type ButtonPresses } from './button-presses.js';
import { GpioButtons } from './gpio-buttons.js';
import { InputDevice } from './input-device.js';
import { keyCode } from './key-codes.js';

export interface ButtonSource {
  start(): void;
  stop(): void;
}

/** The keypads and GPIO lines the settings name, feeding one set of presses. */
export function buttonSources(
  settings: SpeakerSettings['buttons'],
  presses: ButtonPresses,
  deps: { clock: Clock; log: Log },
): ButtonSource[] {
  const onKey = (button: Button, down: boolean) => (down ? presses.down(button) : presses.up(button));
  const onLost = () => presses.releaseAll();
  const keypads = settings.input.map(({ device, keys }) => {
    const byCode = new Map<number, Button>();
    for (const button of BUTTONS) for (const key of keys[button]) byCode.set(keyCode(key) ?? -1, button);
    return new InputDevice({ device, keys: byCode, onKey, onLost, ...deps });
  });
  const gpio = settings.gpio.map(({ chip, lines, activeLow }) => {
    const byLine = new Map<number, Button>();
    for (const button of BUTTONS) {
      const line = lines[button];
      if (line !== undefined) byLine.set(line, button);
    }
    return new GpioButtons({ chip, lines: byLine, activeLow, onKey, onLost, ...deps });
  });
  return [...keypads, ...gpio];
}

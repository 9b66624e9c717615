import { z } from 'zod';

/**
 * Home, device and resident ids appear inside MQTT topic levels, so they must never contain
 * `/`, `+`, `#` or NUL [MQTT-4.7.1], and stay short enough to keep topics well under the
 * broker's depth and length limits.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const entityId = z
  .string()
  .regex(ID_PATTERN, 'must be 1–64 letters, digits, "-" or "_", starting with a letter or digit');

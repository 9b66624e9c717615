import type { DeviceKind } from '@mimamori/contract';
import type { StoredEvent } from '../store/index.js';

/**
 * Whether an event shows someone moving about at home (PROTOCOL.md sensor semantics): motion
 * when occupancy is detected (a PIR clears itself after ~90 s, and that clearing is no sign of
 * anyone), a door opening or closing (both are a hand on the door), a check-in or SOS (someone
 * spoke or pressed), and, when `powerWatts` is given, a power reading at or above it.
 */
export function isActivity(event: StoredEvent, powerWatts?: number): boolean {
  switch (event.type) {
    case 'motion':
      return event.data.occupied === true;
    case 'door':
    case 'checkin':
    case 'sos':
      return true;
    case 'power':
      return powerWatts !== undefined && typeof event.data.watts === 'number' && event.data.watts >= powerWatts;
    default:
      return false;
  }
}

/** Devices whose silence means the home cannot be watched for activity. */
export const ACTIVITY_SENSOR_KINDS: ReadonlySet<DeviceKind> = new Set(['motion', 'door', 'power']);

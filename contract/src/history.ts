import { z } from 'zod';
import { homeInput, isoTime } from './api.js';
import { deviceKind } from './device-kinds.js';
import { absenceReason } from './checkins.js';
import { language } from './commands.js';
import { deviceEvent } from './events.js';
import { entityId } from './ids.js';

/**
 * The history file format (docs/history-import.md): JSON lines, one record per line, that the
 * hub's `import` command loads and device-sim's `history` command writes. Homes, residents and
 * devices are created when missing; events are stored at their own time; absences keep
 * backtests honest about hospital stays and trips. Recorded logs from elsewhere can be
 * converted to it.
 */
export const historyHome = z.object({ home: homeInput.required({ id: true }) }).strict();
export const historyResident = z
  .object({
    resident: z
      .object({ id: entityId, homeId: entityId, name: z.string().min(1).max(200), language: language.default('ja') })
      .strict(),
  })
  .strict();
export const historyDevice = z
  .object({ device: z.object({ id: entityId, homeId: entityId, kind: deviceKind }).strict() })
  .strict();
export const historyAbsence = z
  .object({
    absence: z
      .object({
        homeId: entityId,
        reason: absenceReason,
        startsAt: isoTime,
        endsAt: isoTime,
        note: z.string().max(500).optional(),
      })
      .strict()
      .refine((a) => Date.parse(a.endsAt) > Date.parse(a.startsAt), {
        message: 'endsAt must be after startsAt',
        path: ['endsAt'],
      }),
  })
  .strict();
export const historyEvent = z.object({ homeId: entityId, deviceId: entityId, event: deviceEvent }).strict();

export const historyLine = z.union([historyEvent, historyHome, historyResident, historyDevice, historyAbsence]);
export type HistoryLine = z.input<typeof historyLine>;
export type ParsedHistoryLine = z.output<typeof historyLine>;

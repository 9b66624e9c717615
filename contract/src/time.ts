import { z } from 'zod';

/** An ISO 8601 timestamp that names its offset (`Z` or `+09:00`); a bare local time is ambiguous. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A device timestamp: ISO 8601 with an offset, or epoch milliseconds (PROTOCOL.md, Event JSON).
 * Parsed to epoch milliseconds so everything inside the hub compares plain numbers.
 */
export const timestamp = z
  .union([
    z.number().int().nonnegative().max(8_640_000_000_000_000),
    z.string().regex(ISO_WITH_OFFSET, 'must be ISO 8601 with an offset, e.g. 2026-11-22T07:40:00+09:00'),
  ])
  .transform((value, ctx) => {
    const ms = typeof value === 'number' ? value : Date.parse(value);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'is not a real date' });
      return z.NEVER;
    }
    // The epoch-ms branch starts at 1970; an ISO string must too. "0000-01-01T00:00:00+09:00"
    // is year -1 in UTC, which the API cannot write as ISO 8601 (found by tests/fuzz-decoders).
    if (ms < 0) {
      ctx.addIssue({ code: 'custom', message: 'is before 1970-01-01T00:00:00Z' });
      return z.NEVER;
    }
    return ms;
  });

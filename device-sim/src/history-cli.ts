import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { UsageError } from './cli-args.js';
import { historyLines, type HistoryOptions } from './history.js';
import { LAYOUTS } from './home-spec.js';
import { DAY_MS, jstDayStart } from './jst.js';

export const HISTORY_USAGE = `Usage: mimamori-sim history --days 30 --homes 5 [--seed 1] [--end 2026-11-23]
         [--layout mixed|per-room|open-plan] [--fall HOME:DAY@HH:MM] [--out history.jsonl]
  Writes the past of simulated homes as a history file for "mimamori-hub import"
  (docs/history-import.md): --days days ending the day before --end (default: today, Japan time),
  ordinary lives (night toilet trips, TV, rarely used rooms, stray triggers) with episodes by
  chance (hospital stays, nights away, family visits, hot spells, batteries running flat); sensors
  in every room, one open-plan sensor, or a mix (default); and with --fall a resident who falls
  on day DAY (from 1) at HH:MM in home HOME (from 1). Without --out, to stdout.`;

const options = z
  .object({
    days: z.coerce.number().int().min(1).max(400),
    homes: z.coerce.number().int().min(1).max(100_000),
    seed: z.coerce.number().int().min(0).default(1),
    end: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .optional(),
    layout: z.enum(['mixed', ...LAYOUTS]).default('mixed'),
    fall: z
      .string()
      .regex(/^\d+:\d+@([01]\d|2[0-3]):[0-5]\d$/, 'must look like 3:25@10:00 (home 3, day 25, at 10:00)')
      .optional(),
    out: z.string().min(1).optional(),
  })
  .strict();

/** Parses `history` flags into generator options and the output path (undefined: stdout). */
export function parseHistoryArgs(
  argv: readonly string[],
  now: number,
): { options: HistoryOptions; out: string | undefined } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        days: { type: 'string' },
        homes: { type: 'string' },
        seed: { type: 'string' },
        end: { type: 'string' },
        layout: { type: 'string' },
        fall: { type: 'string' },
        out: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const parsed = options.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`--${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  const { days, homes, seed, end, layout, fall, out } = parsed.data;
  const endAt = end ? Date.parse(`${end}T00:00:00+09:00`) : jstDayStart(now);
  let fallAt: HistoryOptions['fall'];
  if (fall) {
    const [home, day, hh, mm] = fall.split(/[:@]/).map(Number) as [number, number, number, number];
    if (home > homes || day < 1 || day > days)
      throw new UsageError(`--fall: home ${home} or day ${day} is outside --homes ${homes} / --days ${days}`);
    fallAt = { home, at: endAt - (days - day + 1) * DAY_MS + (hh * 60 + mm) * 60_000 };
  }
  return { options: { seed, homes, days, end: endAt, layout, fall: fallAt }, out };
}

/** Writes the history, one JSON line per record, honouring back-pressure. */
export async function writeHistory(options: HistoryOptions, out: string | undefined): Promise<number> {
  const stream = out ? createWriteStream(out) : process.stdout;
  let lines = 0;
  for (const line of historyLines(options)) {
    lines++;
    if (!stream.write(`${JSON.stringify(line)}\n`)) await once(stream, 'drain');
  }
  if (out) {
    stream.end();
    await once(stream, 'finish');
  }
  return lines;
}

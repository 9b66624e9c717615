import fc from 'fast-check';

/**
 * Shared settings and inputs of the fuzz tests (tests/fuzz-*.test.ts).
 *
 * Every run uses a fresh random seed unless `FUZZ_SEED` is set; a failure prints the seed and
 * the path of the shrunk counterexample (fast-check's report), so `FUZZ_SEED=<seed>` replays it.
 * `FUZZ_RUNS` multiplies every run count, e.g. `FUZZ_RUNS=20` for a long run by hand.
 * `FUZZ_STATS=1` prints what the inputs reached (HTTP statuses per route, MQTT counters), to
 * check that the fuzzing gets past validation; `FUZZ_STATS=debug` also prints every 400 body.
 */
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const scale = process.env.FUZZ_RUNS === undefined ? 1 : Number(process.env.FUZZ_RUNS);

export function fuzzParameters<T>(numRuns: number): fc.Parameters<T> {
  return { numRuns: Math.max(1, Math.round(numRuns * scale)), ...(seed !== undefined && { seed }) };
}

/** Strings an attacker or a broken device would send: long, unicode (lone surrogates too), control characters, path and SQL tricks. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\0',
    '\u202e',
    '\ud800',
    '見守り',
    '../../etc/passwd',
    '%00',
    '%',
    "'; DROP TABLE homes; --",
    '__proto__',
    'constructor',
    '1e309',
    '-0',
    'NaN',
    'null',
    'true',
    '2026-02-30T00:00:00Z',
    '0000-01-01T00:00:00+09:00',
    '9999-12-31T23:59:59-23:59',
    '+275760-09-13T00:00:00Z',
    'mimamori/v1/+/#',
  ),
  fc.integer({ min: 1_000, max: 70_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 100, max: 5_000 }).map((n) => '見'.repeat(n)),
);

/** Numbers JSON can carry that code rarely expects. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(
    0,
    -0,
    -1,
    0.5,
    1e308,
    -1e308,
    5e-324,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 53),
    2 ** 64,
    8_640_000_000_000_001,
    1e21,
  ),
);

/**
 * Deeply nested JSON text, built from a depth so that it shrinks by depth. `JSON.parse` reads
 * it, but `JSON.stringify` of what it read overflows the stack: code that re-serialises a
 * client's value throws a RangeError.
 */
export const deeplyNestedText: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 500, max: 40_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + 'null' + '}'.repeat(depth),
  );

const hostileKey = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'id', 'type', 'ts', ''),
);

/** Any JSON value, skewed toward the hostile: wrong types, nulls, huge numbers, long and odd strings, nested objects. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    hostileNumber,
    hostileString,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** JSON text of any value, now and then a deeply nested one. */
export const anyJsonText: fc.Arbitrary<string> = fc.oneof(
  { weight: 19, arbitrary: hostileJson.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: deeplyNestedText },
);

/** Any JSON value as a decoder receives it from `JSON.parse`, now and then a deeply nested one. */
export const anyJson: fc.Arbitrary<unknown> = anyJsonText.map((text) => JSON.parse(text) as unknown);

import fc from 'fast-check';

// Values that break parsers: the edges of each type, and what an attacker types.

const HOSTILE_STRINGS = [
  '$(id)',
  '`reboot`',
  '$(reboot)',
  '"; rm -rf / #',
  "'",
  '"',
  '\\',
  '${7*7}',
  '{{.}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '..',
  '.',
  '%00',
  '\u0000',
  'a\u0000b',
  '\r\nX-Injected: 1',
  "x'); DROP TABLE regions;--",
  'é',
  '𝕏',
  '\u202e',
  '\ufeff',
  'ǅ',
  '\ud800',
  '🙂'.repeat(10),
  'NaN',
  'Infinity',
  '-Infinity',
  '-1',
  '0',
  '1e400',
  '0x10',
  'null',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
] as const;

export const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.stringMatching(/^[$`'"\\;|&<>(){}[\]*?~!#]{1,12}$/),
);

/** Strings at the edges of the usual limits (DNS labels 63, subdomains 253, the body limit). */
export const boundaryString = fc.oneof(
  fc.constantFrom('', ' ', '\t', 'a', '-', 'a-', '-a', 'A', 'a'.repeat(63), 'a'.repeat(64), 'a'.repeat(253), 'a'.repeat(254)),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

export const boundaryNumber = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 0.5, -0.5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e308, -1e308, 5e-324, 100, 101),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/**
 * Nesting `depth` deep, as objects or arrays: what a recursive parser or serialiser dies on.
 * Thousands deep, it is a marker that `toJsonText` expands, since JSON.stringify itself would
 * overflow the test's stack.
 */
export const deepValue = fc
  .record({
    depth: fc.oneof(fc.integer({ min: 2, max: 64 }), fc.integer({ min: 1_000, max: 4_500 })),
    array: fc.boolean(),
    key: fc.constantFrom('a', '__proto__', 'constructor'),
  })
  .map(({ depth, array, key }): unknown => {
    if (depth > 64) return `${DEEP}${depth}:${array ? 1 : 0}:${key}`;
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = array ? [value] : { [key]: value };
    return JSON.parse(JSON.stringify(value));
  });

const DEEP = '\u0001deep:';

/** A value's JSON text, with deep markers expanded. */
export function toJsonText(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/"\\u0001deep:(\d+):([01]):(\w+)"/g, (_m, depth: string, array: string, key: string) => {
    const n = Number(depth);
    return array === '1' ? `${'['.repeat(n)}1${']'.repeat(n)}` : `${`{"${key}":`.repeat(n)}1${'}'.repeat(n)}`;
  });
}

/** An object whose own keys are the prototype's names (JSON.parse makes them own keys, too). */
export const prototypeKeys = fc
  .constantFrom('__proto__', 'constructor', 'prototype')
  .chain((key) =>
    fc
      .oneof(fc.constant({ [key]: { polluted: true } }), fc.constant({ [key]: { prototype: { polluted: true } } }), fc.constant({ [key]: null }))
      .map((inner) => JSON.parse(JSON.stringify(inner)) as Record<string, unknown>),
  );

export const wideObject = fc.integer({ min: 100, max: 20_000 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])));

/** Any JSON value an attacker might put where a field goes. */
export const anyBadValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: boundaryString },
  { weight: 3, arbitrary: boundaryNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [1, 'a'], { '': '' }) },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: prototypeKeys },
  { weight: 1, arbitrary: wideObject },
);

/** A path segment: a valid-looking name, an edge or hostile one, or broken percent-encoding. */
export const segmentText = fc.oneof(
  { weight: 2, arbitrary: hostileString.map(encodeSegment) },
  { weight: 1, arbitrary: boundaryString.filter((s) => s.length < 5_000).map(encodeSegment) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('%', '%z', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF', '%%', '%2', 'a%', '%2F', '%2e%2e', '%00', '%u0041', '%25'),
  },
);

/** encodeURIComponent, except for lone surrogates, which it refuses: sent as raw UTF-8 replacement. */
export function encodeSegment(text: string): string {
  return encodeURIComponent(text.toWellFormed());
}

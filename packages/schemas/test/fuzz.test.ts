import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { OperatorSettings, QhcSchemaError, buildJsonSchema, safeParseOperatorSettings, safeParseRegion } from '../src/index.ts';

// 10,000+ random documents in three families. The contract under test: the parser never
// throws, returns either a value or a QhcSchemaError whose problems all have a path and a
// message, and never accepts a document our model of the rules says is invalid.

const seed = readFileSync(new URL('./fixtures/seed-operator-settings.yaml', import.meta.url), 'utf8');
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
const validateWithJsonSchema = ajv.compile(buildJsonSchema(OperatorSettings, 'operator-settings'));

function expectWellFormedOutcome(result: ReturnType<typeof safeParseOperatorSettings>) {
  if (result.success) return;
  expect(result.error).toBeInstanceOf(QhcSchemaError);
  expect(result.error.problems.length).toBeGreaterThan(0);
  for (const problem of result.error.problems) {
    expect(Array.isArray(problem.path)).toBe(true);
    expect(problem.message.length).toBeGreaterThan(0);
  }
}

/** A field value tagged with whether the rules accept it. */
type Tagged<T = unknown> = { value: T; valid: boolean };
const valid = <T>(arb: fc.Arbitrary<T>) => arb.map((value): Tagged<T> => ({ value, valid: true }));
const invalid = <T>(arb: fc.Arbitrary<T>) => arb.map((value): Tagged<T> => ({ value, valid: false }));
const wrongType = invalid(fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.constant({ a: 1 })));

const positiveSeconds = fc.oneof(
  valid(fc.integer({ min: 1, max: 1_000_000 })),
  invalid(fc.integer({ min: -1000, max: 0 })),
  invalid(fc.double({ min: 0.1, max: 100, noInteger: true })),
  wrongType,
);
const nonNegative = fc.oneof(valid(fc.integer({ min: 0, max: 10_000 })), invalid(fc.integer({ min: -1000, max: -1 })), wrongType);
const enumOf = (values: string[]) => fc.oneof(valid(fc.constantFrom(...values)), invalid(fc.string().filter((s) => !values.includes(s))), wrongType);
const bool = fc.oneof(valid(fc.boolean()), invalid(fc.constantFrom('true', 'yes', 1, 0)));
// Empty is the release's own cluster manager.
const tag = fc.oneof(
  valid(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/)),
  valid(fc.constant('')),
  invalid(fc.constantFrom('v1 2', ':x', '-a')),
  invalid(fc.double({ noNaN: true })),
);

/** Field generators by path; absent fields fall back to the defaults. */
const FIELDS: Record<string, fc.Arbitrary<Tagged>> = {
  app_environment: enumOf(['kubernetes', 'local']),
  backupHistoryRetentionDays: nonNegative,
  operationTimeout: positiveSeconds,
  handlerTimeout: positiveSeconds,
  backupTimeout: positiveSeconds,
  'backOff.minDelay': nonNegative,
  'backOff.maxDelay': positiveSeconds,
  'backOff.increment': nonNegative,
  'clusterManager.pullInterval': positiveSeconds,
  'clusterManager.debug': bool,
  'clusterManager.image.tag': tag,
  'ingress.enabled': bool,
  'ingress.provider': enumOf(['KubernetesIngress', 'NginxIngress']),
  'qdrant.log_level': enumOf(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']),
  'qdrant.image.pull_policy': enumOf(['Always', 'IfNotPresent', 'Never']),
};

const modelDocument = fc
  .record(
    {
      fields: fc
        .dictionary(fc.constantFrom(...Object.keys(FIELDS)), fc.constant(true), { maxKeys: 8 })
        .chain((chosen) => fc.record(Object.fromEntries(Object.keys(chosen).map((path) => [path, FIELDS[path]!])))),
      unknownKey: fc.option(fc.constantFrom('settings.extra', 'settings.backOff.maxdelay', 'settings.qdrant.flavour', 'bogus'), { nil: undefined }),
    },
    { requiredKeys: ['fields'] },
  )
  .map(({ fields, unknownKey }) => {
    const doc: Record<string, unknown> = { settings: {} };
    let validDoc = true;
    for (const [path, tagged] of Object.entries(fields) as Array<[string, Tagged]>) {
      setPath(doc, ['settings', ...path.split('.')], tagged.value);
      validDoc &&= tagged.valid;
    }
    const backOff = fields as Record<string, Tagged>;
    const min = backOff['backOff.minDelay'];
    const max = backOff['backOff.maxDelay'];
    const minValue = min ? min.value : 5;
    const maxValue = max ? max.value : 300;
    if (typeof minValue === 'number' && typeof maxValue === 'number' && minValue > maxValue) validDoc = false;
    if (unknownKey) {
      setPath(doc, unknownKey.split('.'), 1);
      validDoc = false;
    }
    return { doc, valid: validDoc };
  });

function setPath(target: Record<string, unknown>, path: string[], value: unknown) {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

describe('fuzz: operator settings parser', () => {
  it('agrees with the model of the rules on 5,000 generated documents', () => {
    fc.assert(
      fc.property(modelDocument, fc.boolean(), ({ doc, valid: expectedValid }, asJson) => {
        const text = asJson ? JSON.stringify(doc) : stringify(doc);
        const result = safeParseOperatorSettings(text);
        expectWellFormedOutcome(result);
        expect(result.success, result.success ? text : result.error.message).toBe(expectedValid);
        if (result.success) expect(validateWithJsonSchema(doc), JSON.stringify(validateWithJsonSchema.errors)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it('never crashes on 3,000 arbitrary JSON values, and what it accepts the JSON Schema accepts too', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ settings: fc.jsonValue() })), (value) => {
        const result = safeParseOperatorSettings(JSON.stringify(value) ?? 'null');
        expectWellFormedOutcome(result);
        if (result.success) expect(validateWithJsonSchema(value)).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });

  it('never crashes on 2,000 corrupted copies of the seed text', () => {
    const edit = fc.record({ at: fc.nat({ max: seed.length }), remove: fc.nat({ max: 5 }), insert: fc.string({ maxLength: 5 }) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let text = seed;
        for (const { at, remove, insert } of edits) text = text.slice(0, at) + insert + text.slice(at + remove);
        expectWellFormedOutcome(safeParseOperatorSettings(text));
        const region = safeParseRegion(text);
        if (!region.success) expect(region.error).toBeInstanceOf(QhcSchemaError);
      }),
      { numRuns: 2_000 },
    );
  });
});

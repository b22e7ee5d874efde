// Generated proto3-JSON values for a request message, from its descriptor: valid ones, boundary
// ones and hostile ones (wrong types, huge or odd strings, unknown enum names), never only valid.
import { ScalarType, type DescField, type DescMessage } from '@bufbuild/protobuf';
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Ids the world holds (real ones hit the handlers past their lookups), filled once it is made. */
export const known = { accountId: '', ids: [] as string[] };

const HOSTILE_STRINGS = ['', ' ', '..', '%', '%ZZ', "'; DROP TABLE clusters; --", '$(id)', '\u0000', '\u202e', 'é', 'x'.repeat(5000), '{}', 'null'];
const HOSTILE_NUMBERS: Json[] = [2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1.5, -1, 0, '12', 'x', true];

const anyId = () => fc.oneof(fc.constantFrom(...known.ids, known.accountId), fc.uuid(), fc.constantFrom(...HOSTILE_STRINGS));

/** A string for a field named `name`: ids for *_id fields, else plausible, random or hostile text. */
function stringFor(name: string): fc.Arbitrary<Json> {
  if (name === 'account_id') return fc.oneof({ weight: 8, arbitrary: fc.constant(known.accountId) }, { weight: 2, arbitrary: anyId() });
  if (name.endsWith('_id')) return anyId();
  const plausible = fc.constantFrom('qhc', 'fuzz-env', 'fuzz-cluster', 'v1.16.3', 'hybrid', 'latest', 'https://registry.example.com/', '3600s');
  return fc.oneof(
    { weight: 4, arbitrary: plausible },
    { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  );
}

function scalarFor(field: DescField & { fieldKind: 'scalar' | 'list' | 'map' }, scalar: ScalarType): fc.Arbitrary<Json> {
  switch (scalar) {
    case ScalarType.STRING:
      return stringFor(field.name);
    case ScalarType.BOOL:
      return fc.oneof({ weight: 8, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom<Json>('true', 1, null) });
    case ScalarType.BYTES:
      return fc.oneof(fc.base64String({ maxLength: 24 }), fc.constant('not base64 !'));
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constantFrom<Json>('NaN', 'x', '1e999'));
    default:
      return fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -5, max: 300 }) }, { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) });
  }
}

function wellKnown(message: DescMessage, depth: number): fc.Arbitrary<Json> | undefined {
  switch (message.typeName) {
    case 'google.protobuf.Timestamp':
      return fc.constantFrom('2026-01-01T00:00:00Z', 'yesterday', '9999-99-99T00:00:00Z', '');
    case 'google.protobuf.Duration':
      return fc.constantFrom('3600s', '0s', '-5s', '1h', '315576000001s', 's');
    case 'google.protobuf.FieldMask':
      return fc.constantFrom('name', 'configuration.namespace', 'configuration.number_of_nodes', 'nope', '', 'a..b', 'configuration');
    case 'google.protobuf.Struct':
      return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: depth + 1 }) as fc.Arbitrary<Json>, { maxKeys: 3 });
    case 'google.protobuf.Value':
      return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
    default:
      return undefined;
  }
}

function valueOf(field: DescField, depth: number): fc.Arbitrary<Json> {
  switch (field.fieldKind) {
    case 'scalar':
      return scalarFor(field, field.scalar);
    case 'enum':
      return fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...field.enum.values.map((v) => v.name)) },
        { weight: 1, arbitrary: fc.constantFrom<Json>('NOPE', 99, -1) },
      );
    case 'message':
      return messageValue(field.message, depth + 1);
    case 'list': {
      const element: fc.Arbitrary<Json> =
        field.listKind === 'scalar'
          ? scalarFor(field, field.scalar)
          : field.listKind === 'enum'
            ? fc.constantFrom(...field.enum.values.map((v) => v.name))
            : messageValue(field.message, depth + 1);
      return fc.array(element, { maxLength: 3 });
    }
    case 'map': {
      const value: fc.Arbitrary<Json> =
        field.mapKind === 'scalar'
          ? scalarFor(field, field.scalar)
          : field.mapKind === 'enum'
            ? fc.constantFrom(...field.enum.values.map((v) => v.name))
            : messageValue(field.message, depth + 1);
      return fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 2 });
    }
  }
}

/** A JSON object of `message`: a random subset of its fields (JSON or proto names), `skip` left out. */
export function messageValue(message: DescMessage, depth = 0, skip: readonly string[] = []): fc.Arbitrary<Json> {
  const special = wellKnown(message, depth);
  if (special) return special;
  if (depth > 3) return fc.constant({});
  const fields = message.fields.filter((f) => !skip.includes(f.name));
  const entries = fields.map((f) =>
    fc.tuple(fc.boolean(), fc.boolean(), valueOf(f, depth)).map(([use, jsonName, v]) => (use ? [[jsonName ? f.jsonName : f.name, v]] : [])),
  );
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.flat()) as Json);
}

/** Every field name of `message` at any depth (proto and JSON names): what a refusal may name. */
export function fieldNames(message: DescMessage, into = new Set<string>(), seen = new Set<string>()): Set<string> {
  if (seen.has(message.typeName)) return into;
  seen.add(message.typeName);
  for (const f of message.fields) {
    into.add(f.name).add(f.jsonName);
    if (f.message) fieldNames(f.message, into, seen);
  }
  return into;
}

import { ScalarType, type DescEnum, type DescField, type DescMessage } from '@bufbuild/protobuf';

// JSON Schemas of messages as their proto3 JSON mapping writes them (what the gateway answers
// with toJson), for the OpenAPI document: one component per message, referenced by name.

export type Schema = Record<string, unknown>;

const INT32 = new Set([ScalarType.INT32, ScalarType.UINT32, ScalarType.SINT32, ScalarType.FIXED32, ScalarType.SFIXED32]);
const INT64 = new Set([ScalarType.INT64, ScalarType.UINT64, ScalarType.SINT64, ScalarType.FIXED64, ScalarType.SFIXED64]);

export function scalarSchema(scalar: ScalarType): Schema {
  if (scalar === ScalarType.BOOL) return { type: 'boolean' };
  if (scalar === ScalarType.STRING) return { type: 'string' };
  if (scalar === ScalarType.BYTES) return { type: 'string', format: 'byte' };
  if (INT32.has(scalar)) return { type: 'integer', format: scalar === ScalarType.UINT32 || scalar === ScalarType.FIXED32 ? 'uint32' : 'int32' };
  // 64-bit integers are JSON strings in the proto3 mapping.
  if (INT64.has(scalar)) return { type: 'string', format: scalar === ScalarType.UINT64 || scalar === ScalarType.FIXED64 ? 'uint64' : 'int64' };
  return { type: 'number', format: scalar === ScalarType.FLOAT ? 'float' : 'double' };
}

export const enumSchema = (desc: DescEnum): Schema => ({ type: 'string', enum: desc.values.map((v) => v.name) });

/** The well-known types whose JSON is not an object of their fields. */
const WELL_KNOWN: Record<string, Schema> = {
  'google.protobuf.Timestamp': { type: 'string', format: 'date-time' },
  'google.protobuf.Duration': { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]+)?s$' },
  'google.protobuf.FieldMask': { type: 'string', description: 'field paths, comma-separated' },
  'google.protobuf.Struct': { type: 'object', additionalProperties: true },
  'google.protobuf.Value': {},
  'google.protobuf.ListValue': { type: 'array', items: {} },
  'google.protobuf.Empty': { type: 'object' },
  'google.protobuf.Any': { type: 'object', properties: { '@type': { type: 'string' } }, additionalProperties: true },
  'google.protobuf.StringValue': { type: 'string' },
  'google.protobuf.BoolValue': { type: 'boolean' },
  'google.protobuf.BytesValue': { type: 'string', format: 'byte' },
  'google.protobuf.Int32Value': { type: 'integer', format: 'int32' },
  'google.protobuf.UInt32Value': { type: 'integer', format: 'uint32' },
  'google.protobuf.Int64Value': { type: 'string', format: 'int64' },
  'google.protobuf.UInt64Value': { type: 'string', format: 'uint64' },
  'google.protobuf.FloatValue': { type: 'number', format: 'float' },
  'google.protobuf.DoubleValue': { type: 'number', format: 'double' },
};

/** Collects component schemas; `ref` adds a message (and what it uses) once. */
export class SchemaSet {
  readonly components: Record<string, Schema> = {};

  ref(desc: DescMessage): Schema {
    const known = WELL_KNOWN[desc.typeName];
    if (known) return known;
    if (!(desc.typeName in this.components)) {
      this.components[desc.typeName] = {};
      this.components[desc.typeName] = this.object(desc);
    }
    return { $ref: `#/components/schemas/${desc.typeName}` };
  }

  private object(desc: DescMessage): Schema {
    const properties = Object.fromEntries(desc.fields.map((f) => [f.jsonName, this.field(f)]));
    return { type: 'object', properties, additionalProperties: false };
  }

  /** A field's schema: lists and maps of its element's. */
  field(field: DescField): Schema {
    if (field.fieldKind === 'list') return { type: 'array', items: this.element(field.listKind, field) };
    if (field.fieldKind === 'map') return { type: 'object', additionalProperties: this.element(field.mapKind, field) };
    return this.element(field.fieldKind, field);
  }

  private element(kind: 'scalar' | 'enum' | 'message', field: DescField): Schema {
    if (kind === 'enum') return enumSchema((field as { enum: DescEnum }).enum);
    if (kind === 'message') return this.ref((field as { message: DescMessage }).message);
    return scalarSchema((field as { scalar: ScalarType }).scalar);
  }
}

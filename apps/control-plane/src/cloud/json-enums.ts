import type { DescEnum, DescField, DescMessage } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';

// protobuf-es refuses an enum name it does not know without saying which field held it; this
// walk names the field (its proto path) first. Only enum values are looked at: any other
// mistake is protobuf-es's to tell.

const unknownName = (e: DescEnum, value: unknown) => typeof value === 'string' && !e.values.some((v) => v.name === value);

function fieldOf(message: DescMessage, key: string): DescField | undefined {
  return message.fields.find((f) => f.jsonName === key || f.name === key);
}

function checkField(field: DescField, value: unknown, path: string): void {
  const items = field.fieldKind === 'list' && Array.isArray(value) ? value.map((v, i) => [v, `${path}[${i}]`] as const) : [[value, path] as const];
  for (const [item, where] of items) {
    const e = field.fieldKind === 'enum' ? field.enum : field.fieldKind === 'list' && field.listKind === 'enum' ? field.enum : undefined;
    if (e && unknownName(e, item))
      throw new ConnectError(`${where}: ${JSON.stringify(String(item).slice(0, 64))} is not a value of ${e.typeName}`, Code.InvalidArgument);
    const nested = field.fieldKind === 'message' || (field.fieldKind === 'list' && field.listKind === 'message') ? field.message : undefined;
    if (nested && !nested.typeName.startsWith('google.protobuf.')) checkEnumNames(nested, item, where);
  }
}

/** Throws InvalidArgument naming the field of the first enum name `message`'s type does not know. */
export function checkEnumNames(message: DescMessage, json: unknown, base = ''): void {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return;
  for (const [key, value] of Object.entries(json)) {
    const field = fieldOf(message, key);
    if (field) checkField(field, value, base ? `${base}.${field.name}` : field.name);
  }
}

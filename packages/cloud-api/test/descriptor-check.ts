// Shared checks of generated descriptors against tables that read like the .proto files, so a renumbered,
// retyped or rerouted element of the wire contract fails a named row.
import { getOption, hasOption, ScalarType, type DescField, type DescFile, type DescMessage, type DescService } from '@bufbuild/protobuf';
import { expect, it } from 'vitest';
import { http, commonV1 } from '../src/index.ts';

export type FieldRow = readonly [message: string, field: string, num: number, type: string];
/** rpc, HTTP verb, path, the `permissions` option joined by spaces ('-' when the option is absent). */
export type RouteRow = readonly [rpc: string, verb: string, path: string, permissions: string];

function scalarName(scalar: ScalarType): string {
  return ScalarType[scalar].toLowerCase();
}

/** A field's type spelled as the .proto declares it (label, full type name). */
export function declaredType(field: DescField): string {
  const optional = field.proto.proto3Optional ? 'optional ' : '';
  const oneof = field.oneof && !field.proto.proto3Optional ? `oneof ${field.oneof.name} ` : '';
  switch (field.fieldKind) {
    case 'scalar':
      return `${oneof}${optional}${scalarName(field.scalar)}`;
    case 'enum':
      return `${oneof}${optional}${field.enum.typeName}`;
    case 'message':
      return `${oneof}${optional}${field.message.typeName}`;
    case 'list':
      return `repeated ${field.listKind === 'scalar' ? scalarName(field.scalar) : (field.message ?? field.enum).typeName}`;
    case 'map':
      return `map<${scalarName(field.mapKey)}, ${field.mapKind}>`;
  }
}

function messageOf(file: DescFile, name: string): DescMessage {
  const message = file.messages.find((m) => m.name === name);
  if (!message) throw new Error(`${file.name}.proto has no message ${name}`);
  return message;
}

export function checkFields(file: DescFile, rows: readonly FieldRow[]): void {
  it.each(rows)('%s.%s = %i (%s)', (message, field, num, type) => {
    const desc = messageOf(file, message).fields.find((f) => f.name === field);
    expect(desc?.number).toBe(num);
    expect(desc && declaredType(desc)).toBe(type);
  });
}

export function methodOf(service: DescService, rpc: string) {
  const method = service.methods.find((m) => m.name === rpc);
  if (!method) throw new Error(`${service.typeName} has no rpc ${rpc}`);
  return method;
}

export function checkService(service: DescService, typeName: string, routes: readonly RouteRow[]): void {
  it('has the public type name and exactly these rpcs, in order', () => {
    expect(service.typeName).toBe(typeName);
    expect(service.methods.map((m) => m.name)).toEqual(routes.map(([rpc]) => rpc));
  });
  it.each(routes)('%s is served at %s %s and needs "%s"', (rpc, verb, path, permissions) => {
    const method = methodOf(service, rpc);
    expect(hasOption(method, http)).toBe(true);
    const rule = getOption(method, http);
    expect(rule.pattern.case).toBe(verb);
    expect(rule.pattern.value).toBe(path);
    expect(hasOption(method, commonV1.permissions) ? getOption(method, commonV1.permissions).join(' ') : '-').toBe(permissions);
  });
}

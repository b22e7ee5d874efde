import type { DescEnum } from '@bufbuild/protobuf';

// The generated enums are `as const` objects at run time, but @qhc/cloud-api's bundled type
// declarations carry them as types only; their values are read from the enum's descriptor
// instead, by the value's short name (e.g. "CLUSTER_IP"), checked when the module loads.

export function enumNumber<E extends number>(desc: DescEnum & { readonly values: ReadonlyArray<{ localName: string; number: number }> }, name: string): E {
  const value = desc.values.find((v) => v.localName === name);
  if (!value) throw new Error(`${desc.typeName} has no value ${name}`);
  return value.number as E;
}

/** A map from the enum's numbers (by short name) to what they stand for in qhc. */
export function enumMap<T>(desc: DescEnum, entries: Record<string, T>): Record<number, T> {
  return Object.fromEntries(Object.entries(entries).map(([name, mapped]) => [enumNumber(desc, name), mapped]));
}

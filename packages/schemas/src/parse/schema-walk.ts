import type * as z from 'zod';
import type { PathSegment } from './source.ts';

// zod exposes each schema's definition on `_zod.def`; walking it is the only way to ask
// "which keys does the object at this path know?" for did-you-mean suggestions.
export interface ZodDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  in?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
}

/** The definition zod keeps on `_zod.def`. */
export function defOf(schema: z.ZodType): ZodDef {
  return (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional', 'success']);

/** Strips optional/default/pipe/lazy wrappers down to the schema(s) that do the work. */
export function unwrap(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  if (WRAPPERS.has(def.type) && def.innerType) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.in) return unwrap(def.in);
  if (def.type === 'lazy' && def.getter) return unwrap(def.getter());
  if (def.type === 'union' && def.options) return def.options.flatMap(unwrap);
  if (def.type === 'intersection' && def.left && def.right) return [...unwrap(def.left), ...unwrap(def.right)];
  return [schema];
}

/** Every schema that may describe the value at `path` (several when unions are involved). */
export function schemasAt(root: z.ZodType, path: readonly PathSegment[]): z.ZodType[] {
  let current = unwrap(root);
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const schema of current) {
      const def = defOf(schema);
      if (def.type === 'object' && def.shape && typeof segment === 'string' && def.shape[segment]) {
        next.push(...unwrap(def.shape[segment]));
      } else if (def.type === 'array' && def.element && typeof segment === 'number') {
        next.push(...unwrap(def.element));
      } else if (def.type === 'record' && def.valueType) {
        next.push(...unwrap(def.valueType));
      } else if (def.type === 'tuple' && typeof segment === 'number') {
        const items = (def as unknown as { items: z.ZodType[] }).items;
        if (items[segment]) next.push(...unwrap(items[segment]));
      }
    }
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

/** The keys an object schema at `path` accepts. */
export function knownKeysAt(root: z.ZodType, path: readonly PathSegment[]): string[] {
  const keys = new Set<string>();
  for (const schema of schemasAt(root, path)) {
    const def = defOf(schema);
    if (def.type === 'object' && def.shape) for (const key of Object.keys(def.shape)) keys.add(key);
  }
  return [...keys];
}

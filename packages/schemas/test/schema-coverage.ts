import { readFileSync } from 'node:fs';
import type * as z from 'zod';
import { parse as parseYaml } from 'yaml';
import { defOf, unwrap } from '../src/parse/schema-walk.ts';

// "This fixture sets every field": a fixture is only a full example if a test can say
// which fields it leaves out. Paths use `[]` for array items and `*` for record values.

/** Every field path a schema declares. */
export function schemaPaths(schema: z.ZodType, prefix = ''): string[] {
  const paths: string[] = [];
  for (const candidate of unwrap(schema)) {
    const def = defOf(candidate);
    if (def.type === 'object' && def.shape) {
      for (const [key, child] of Object.entries(def.shape)) {
        const path = prefix ? `${prefix}.${key}` : key;
        paths.push(path, ...schemaPaths(child, path));
      }
    } else if (def.type === 'array' && def.element) {
      paths.push(...schemaPaths(def.element, `${prefix}[]`));
    } else if (def.type === 'record' && def.valueType) {
      paths.push(...schemaPaths(def.valueType, `${prefix}.*`));
    }
  }
  return [...new Set(paths)];
}

/** The declared field paths a value sets. */
export function valuePaths(schema: z.ZodType, value: unknown, prefix = ''): string[] {
  const paths: string[] = [];
  for (const candidate of unwrap(schema)) {
    const def = defOf(candidate);
    if (def.type === 'array' && def.element && Array.isArray(value)) {
      for (const item of value) paths.push(...valuePaths(def.element, item, `${prefix}[]`));
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const entries = Object.entries(value);
      if (def.type === 'record' && def.valueType) {
        for (const [, child] of entries) paths.push(...valuePaths(def.valueType, child, `${prefix}.*`));
      } else if (def.type === 'object' && def.shape) {
        for (const [key, child] of entries) {
          const childSchema = def.shape[key];
          if (!childSchema) continue;
          const path = prefix ? `${prefix}.${key}` : key;
          paths.push(path, ...valuePaths(childSchema, child, path));
        }
      }
    }
  }
  return [...new Set(paths)];
}

/** The declared fields a value leaves out, minus those under an `ignored` prefix. */
export function unsetPaths(schema: z.ZodType, value: unknown, ignored: readonly string[] = []): string[] {
  const set = new Set(valuePaths(schema, value));
  return schemaPaths(schema).filter(
    (path) => !set.has(path) && !ignored.some((prefix) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`)),
  );
}

export function fixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

export function fixture(name: string): Record<string, unknown> {
  return parseYaml(fixtureText(name)) as Record<string, unknown>;
}

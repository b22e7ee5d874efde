import * as z from 'zod';
import type { SchemaNode } from './json-schema-types.ts';

export const JSON_SCHEMA_BASE_URL = 'https://qhc.dev/schemas';

/**
 * A draft 2020-12 JSON Schema for a config document, for editors (yaml-language-server)
 * and third-party validators. Strict objects keep additionalProperties:false here, so an
 * editor flags a typo the way the parser does; code-side rules (minDelay ≤ maxDelay, PEM
 * structure) stay in the parser.
 */
export function buildJsonSchema(schema: z.ZodType, id: string): SchemaNode {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', cycles: 'throw', reused: 'inline', unrepresentable: 'throw' }) as SchemaNode;
  const { $schema, ...rest } = generated;
  return { $schema, $id: `${JSON_SCHEMA_BASE_URL}/${id}.json`, ...rest };
}

/** A JSON Schema / OpenAPI v3 schema node, as plain data. */
export type SchemaNode = { [key: string]: unknown };

export function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

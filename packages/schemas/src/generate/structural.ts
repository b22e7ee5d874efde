import { isNode, type SchemaNode } from './json-schema-types.ts';
import { ALLOWED_KEYS, BRANCH_KEYS, KUBERNETES_FORMATS, SAFE_INTEGER, isRe2Compatible } from './structural-keys.ts';

export { checkStructural } from './structural-check.ts';

// zod's toJSONSchema(…, { target: 'openapi-3.0', io: 'input' }) is close to what a CRD
// needs but not a structural schema (KEP-2335): it puts `type` inside union branches,
// emits additionalProperties:false next to properties, and has keywords Kubernetes
// rejects. toStructural rewrites it; checkStructural states the rules the apiserver
// enforces so a test (and the generator) can refuse a schema before the apiserver does.

function typeOf(node: SchemaNode): string | undefined {
  return typeof node.type === 'string' ? node.type : undefined;
}

function stripToValidations(node: SchemaNode): SchemaNode {
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (BRANCH_KEYS.has(key) && !(key === 'format' && !KUBERNETES_FORMATS.has(value as string))) out[key] = value;
  }
  return out;
}

/** Rewrites a zod-generated OpenAPI 3.0 schema into a structural CRD schema. */
export function toStructural(input: SchemaNode): SchemaNode {
  return rewrite(input);
}

function rewrite(input: SchemaNode): SchemaNode {
  let node: SchemaNode = { ...input };

  if ('$ref' in node) throw new Error('a $ref cannot appear in a CRD schema: inline the schema (reused: "inline")');
  if ('const' in node) {
    node.enum = [node.const];
    delete node.const;
  }

  // int-or-string: the canonical shape the apiserver expects, whatever zod produced.
  if (node['x-kubernetes-int-or-string'] === true) {
    const out: SchemaNode = { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
    if (typeof node.description === 'string') out.description = node.description;
    if (node.default !== undefined) out.default = node.default;
    return out;
  }

  for (const unionKey of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(node[unionKey])) node = rewriteUnion(node, unionKey);
  }
  if (Array.isArray(node.allOf)) node = mergeAllOf(node);

  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (!ALLOWED_KEYS.has(key)) continue;
    out[key] = value;
  }

  if (typeof out.format === 'string' && !KUBERNETES_FORMATS.has(out.format)) delete out.format;
  if (out.type === 'integer' || out.type === 'number') {
    if (out.minimum === -SAFE_INTEGER) delete out.minimum;
    if (out.maximum === SAFE_INTEGER) delete out.maximum;
  }
  if (typeof out.pattern === 'string' && (out.format === 'date-time' || !isRe2Compatible(out.pattern))) {
    // zod's datetime regex uses lookaheads; the format keyword already says it, and the zod
    // parser keeps the full check on the client side.
    delete out.pattern;
  }

  if (out.type === 'object' || isNode(out.properties)) {
    out.type = 'object';
    const properties = isNode(out.properties) ? out.properties : undefined;
    const additional = out.additionalProperties;
    if (properties && Object.keys(properties).length > 0) {
      out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, rewrite(v as SchemaNode)]));
      // A loose object (additionalProperties: {}) keeps its unknown fields; a strict one
      // (false) is strict only in zod: the apiserver prunes unknown fields instead.
      if (isNode(additional) && Object.keys(additional).length === 0) out['x-kubernetes-preserve-unknown-fields'] = true;
      delete out.additionalProperties;
    } else {
      delete out.properties;
      if (isNode(additional) && Object.keys(additional).length > 0) {
        out.additionalProperties = rewrite(additional);
      } else if (additional === false) {
        delete out.additionalProperties;
      } else {
        delete out.additionalProperties;
        out['x-kubernetes-preserve-unknown-fields'] = true;
      }
    }
  }
  if (out.type === 'array' && isNode(out.items)) out.items = rewrite(out.items);
  if (out.type === 'array' && Array.isArray(out.items)) throw new Error('tuple (array-form items) cannot appear in a CRD schema');
  if (Array.isArray(out.required) && out.required.length === 0) delete out.required;

  if (out.type === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true && out['x-kubernetes-int-or-string'] !== true && !out.anyOf) {
    // z.unknown()/z.any(): any JSON value is allowed.
    out['x-kubernetes-preserve-unknown-fields'] = true;
  }
  return out;
}

/**
 * Structural schemas allow unions only as value validations under one type. Branches of
 * one type are hoisted under it; integer|string becomes int-or-string; object branches
 * are merged into one object (their fields all optional); anything else accepts any value.
 */
function rewriteUnion(node: SchemaNode, unionKey: 'anyOf' | 'oneOf'): SchemaNode {
  const branches = (node[unionKey] as SchemaNode[]).map((b) => rewrite(b));
  const rest: SchemaNode = { ...node };
  delete rest[unionKey];
  const types = new Set(branches.map((b) => (b['x-kubernetes-int-or-string'] ? 'int-or-string' : (typeOf(b) ?? 'any'))));
  if (types.size === 1 && typeof [...types][0] === 'string' && ![...types].includes('any') && ![...types].includes('int-or-string')) {
    const type = [...types][0]!;
    if (type === 'object') return mergeObjects(rest, branches);
    const validations = branches.map(stripToValidations);
    // A branch without validations accepts every value of the type: the union adds nothing.
    if (validations.some((v) => Object.keys(v).length === 0)) return { ...rest, type };
    return { ...rest, type, [unionKey]: validations };
  }
  const numeric = new Set(['integer', 'number']);
  if ([...types].every((t) => t === 'string' || t === 'int-or-string' || numeric.has(t))) {
    return { ...rest, 'x-kubernetes-int-or-string': true };
  }
  return { ...rest, 'x-kubernetes-preserve-unknown-fields': true };
}

function mergeObjects(rest: SchemaNode, branches: SchemaNode[]): SchemaNode {
  const properties: SchemaNode = {};
  let preserve = false;
  for (const branch of branches) {
    if (isNode(branch.properties)) Object.assign(properties, branch.properties);
    if (branch['x-kubernetes-preserve-unknown-fields'] === true || branch.additionalProperties) preserve = true;
  }
  const out: SchemaNode = { ...rest, type: 'object', properties };
  if (preserve) out['x-kubernetes-preserve-unknown-fields'] = true;
  return out;
}

function mergeAllOf(node: SchemaNode): SchemaNode {
  const parts = (node.allOf as SchemaNode[]).map((p) => rewrite(p));
  const rest: SchemaNode = { ...node };
  delete rest.allOf;
  if (parts.every((p) => p.type === 'object')) {
    const merged = mergeObjects(rest, parts);
    const required = parts.flatMap((p) => (Array.isArray(p.required) ? (p.required as string[]) : []));
    if (required.length > 0) merged.required = [...new Set(required)];
    return merged;
  }
  throw new Error('allOf of non-object schemas cannot be expressed structurally');
}

import { isNode, type SchemaNode } from './json-schema-types.ts';
import { ALLOWED_KEYS, FORBIDDEN_KEYS, KUBERNETES_FORMATS, isRe2Compatible } from './structural-keys.ts';

/**
 * The structural-schema rules of apiextensions.k8s.io/v1 that a generated CRD must meet.
 * Returns every violation as "path: rule"; empty means the schema is structural.
 */
export function checkStructural(root: SchemaNode): string[] {
  const problems: string[] = [];
  const visit = (node: SchemaNode, path: string, inBranch: boolean) => {
    for (const key of FORBIDDEN_KEYS) {
      if (key in node) problems.push(`${path}: "${key}" is not allowed in a CRD schema`);
    }
    for (const key of Object.keys(node)) {
      if (!ALLOWED_KEYS.has(key) && !FORBIDDEN_KEYS.includes(key)) problems.push(`${path}: unknown keyword "${key}"`);
    }
    if (typeof node.format === 'string' && !KUBERNETES_FORMATS.has(node.format)) problems.push(`${path}: format "${node.format}" is unknown to Kubernetes`);
    if (node['x-kubernetes-preserve-unknown-fields'] === false) {
      problems.push(`${path}: x-kubernetes-preserve-unknown-fields must be true or absent`);
    }
    if (inBranch) {
      for (const key of ['type', 'description', 'default', 'additionalProperties', 'nullable']) {
        if (key in node) problems.push(`${path}: "${key}" must not be set inside anyOf/oneOf/allOf/not`);
      }
    } else if (typeof node.type !== 'string' && node['x-kubernetes-int-or-string'] !== true && node['x-kubernetes-preserve-unknown-fields'] !== true) {
      problems.push(`${path}: must have a type (or be int-or-string / preserve-unknown-fields)`);
    }
    if (node.type === 'null') problems.push(`${path}: type "null" is not allowed; use nullable`);
    if (isNode(node.properties) && Object.keys(node.properties).length > 0 && 'additionalProperties' in node) {
      problems.push(`${path}: additionalProperties and properties are mutually exclusive`);
    }
    if (typeof node.pattern === 'string' && !isRe2Compatible(node.pattern)) {
      problems.push(`${path}: pattern uses lookaround or backreferences, which Go's RE2 rejects`);
    }
    if (Array.isArray(node.items)) problems.push(`${path}: items must be a single schema`);
    if (node['x-kubernetes-int-or-string'] === true && node.type !== undefined) {
      problems.push(`${path}: int-or-string must not set a type`);
    }
    if (isNode(node.properties)) {
      for (const [key, child] of Object.entries(node.properties)) if (isNode(child)) visit(child, `${path}.${key}`, inBranch);
    }
    if (isNode(node.items)) visit(node.items, `${path}[]`, inBranch);
    if (isNode(node.additionalProperties)) visit(node.additionalProperties, `${path}{}`, inBranch);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      const branches = node[key];
      if (!Array.isArray(branches)) continue;
      // The one exception to "no type in a branch": int-or-string's own anyOf.
      if (node['x-kubernetes-int-or-string'] === true && key === 'anyOf' && isIntOrStringBranches(branches)) continue;
      branches.forEach((b, i) => isNode(b) && visit(b, `${path}.${key}[${i}]`, true));
    }
    if (isNode(node.not)) visit(node.not, `${path}.not`, true);
  };
  visit(root, '', false);

  const metadata = isNode(root.properties) ? root.properties.metadata : undefined;
  if (isNode(metadata) && isNode(metadata.properties)) {
    const extra = Object.keys(metadata.properties).filter((k) => k !== 'name' && k !== 'generateName');
    if (extra.length > 0) problems.push(`.metadata: only name and generateName may be constrained, found ${extra.join(', ')}`);
  }
  return problems;
}

function isIntOrStringBranches(branches: unknown[]): boolean {
  return (
    branches.length === 2 &&
    branches.every((b) => isNode(b) && Object.keys(b).length === 1) &&
    (branches[0] as SchemaNode).type === 'integer' &&
    (branches[1] as SchemaNode).type === 'string'
  );
}

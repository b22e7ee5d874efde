import * as z from 'zod';
import type { KindDefinition } from '../crds/kind.ts';
import { isNode, type SchemaNode } from './json-schema-types.ts';
import { checkStructural, toStructural } from './structural.ts';

/** The openAPIV3Schema of a kind: its zod schema, rewritten to be structural. */
export function crdSchemaOf(kind: KindDefinition): SchemaNode {
  const generated = z.toJSONSchema(kind.schema, {
    target: 'openapi-3.0',
    io: 'input',
    cycles: 'throw',
    reused: 'inline',
    unrepresentable: 'throw',
  }) as SchemaNode;
  const schema = toStructural(generated);
  const properties = isNode(schema.properties) ? schema.properties : {};
  // The apiserver owns apiVersion, kind and metadata; a CRD may only describe them loosely.
  properties.apiVersion = { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' };
  properties.kind = { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' };
  properties.metadata = { type: 'object' };
  for (const part of ['spec', 'status'] as const) {
    const node = properties[part];
    if (isNode(node) && kind.preserveUnknownFields[part]) node['x-kubernetes-preserve-unknown-fields'] = true;
  }
  if (Array.isArray(schema.required)) {
    const required = (schema.required as string[]).filter((k) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata');
    if (required.length > 0) schema.required = required;
    else delete schema.required;
  }
  const description = kind.description;
  return { description, ...schema, properties, type: 'object' };
}

/** A complete apiextensions.k8s.io/v1 CustomResourceDefinition for a kind. */
export function buildCrd(kind: KindDefinition): SchemaNode {
  const openAPIV3Schema = crdSchemaOf(kind);
  const problems = checkStructural(openAPIV3Schema);
  if (problems.length > 0) {
    throw new Error(`the generated schema of ${kind.kind} is not structural:\n  ${problems.join('\n  ')}`);
  }
  const subresources: SchemaNode = {};
  if (kind.subresources.status) subresources.status = {};
  if (kind.subresources.scale) subresources.scale = { ...kind.subresources.scale };
  const version: SchemaNode = {
    name: kind.version,
    served: true,
    storage: true,
    schema: { openAPIV3Schema },
    subresources,
    additionalPrinterColumns: kind.printerColumns.map((c) => ({ ...c })),
  };
  if (kind.selectableFields && kind.selectableFields.length > 0) {
    version.selectableFields = kind.selectableFields.map((jsonPath) => ({ jsonPath }));
  }
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.plural}.${kind.group}`, labels: { 'app.kubernetes.io/part-of': 'qhc', 'app.kubernetes.io/managed-by': 'qhc' } },
    spec: {
      group: kind.group,
      names: {
        kind: kind.kind,
        listKind: kind.listKind,
        plural: kind.plural,
        singular: kind.singular,
        ...(kind.shortNames.length > 0 ? { shortNames: [...kind.shortNames] } : {}),
        ...(kind.categories.length > 0 ? { categories: [...kind.categories] } : {}),
      },
      scope: kind.scope,
      versions: [version],
    },
  };
}

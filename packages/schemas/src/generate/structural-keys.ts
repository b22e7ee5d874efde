// The keywords and formats of apiextensions.k8s.io/v1 JSONSchemaProps, shared by the
// rewrite (toStructural) and the check (checkStructural).

/** JSONSchemaProps fields the apiserver knows; anything else is dropped. */
export const ALLOWED_KEYS = new Set([
  'description',
  'type',
  'format',
  'title',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'multipleOf',
  'enum',
  'maxProperties',
  'minProperties',
  'required',
  'items',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'properties',
  'additionalProperties',
  'nullable',
  'example',
  'externalDocs',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
]);

/** Keywords allowed inside anyOf/oneOf/allOf/not branches (value validations only). */
export const BRANCH_KEYS = new Set([
  'format',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'multipleOf',
  'enum',
  'maxProperties',
  'minProperties',
  'required',
  'items',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'properties',
]);

export const FORBIDDEN_KEYS = ['$ref', '$schema', '$defs', 'definitions', 'id', 'additionalItems', 'patternProperties', 'dependencies', 'uniqueItems', 'const'];

/**
 * The string formats the apiserver validates (k8s.io/apiextensions-apiserver validation/formats.go).
 * zod names others (`starts_with`, `ends_with`, `includes`, `regex`): the apiserver warns
 * `unrecognized format` on every apply, so they are dropped; their `pattern` carries the check.
 */
export const KUBERNETES_FORMATS = new Set([
  'bsonobjectid',
  'uri',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'cidr',
  'mac',
  'uuid',
  'uuid3',
  'uuid4',
  'uuid5',
  'isbn',
  'isbn10',
  'isbn13',
  'creditcard',
  'ssn',
  'hexcolor',
  'rgbcolor',
  'byte',
  'password',
  'date',
  'duration',
  'datetime',
  'date-time',
  'int32',
  'int64',
  'float',
  'double',
]);

export const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/** Go's RE2 (used by the apiserver for `pattern`) has no lookaround or backreferences. */
export function isRe2Compatible(pattern: string): boolean {
  return !/\(\?<?[=!]|\\[1-9]|\\k</.test(pattern);
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { allKinds, buildCrd, checkStructural, crdSchemaOf, generateArtifacts, toStructural } from '../src/index.ts';

const open = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input' }) as Record<string, unknown>;

describe('toStructural', () => {
  it('drops additionalProperties:false and safe-integer bounds from a strict object', () => {
    const schema = toStructural(open(z.strictObject({ a: z.int(), b: z.string().optional() })));
    expect(schema).toEqual({ type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string' } }, required: ['a'] });
    expect(checkStructural(schema)).toEqual([]);
  });

  it('turns a loose object into preserve-unknown-fields', () => {
    expect(toStructural(open(z.looseObject({})))).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    const withFields = toStructural(open(z.looseObject({ name: z.string() })));
    expect(withFields).toMatchObject({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { name: { type: 'string' } } });
  });

  it('canonicalises int-or-string', () => {
    const schema = toStructural(open(z.union([z.int(), z.string()]).meta({ 'x-kubernetes-int-or-string': true })));
    expect(schema).toEqual({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(checkStructural(schema)).toEqual([]);
  });

  it('hoists the type out of same-typed union branches', () => {
    const schema = toStructural(open(z.union([z.literal(''), z.string().regex(/^[a-z]+$/)])));
    expect(schema).toEqual({ type: 'string', anyOf: [{ enum: [''] }, { pattern: '^[a-z]+$' }] });
    expect(checkStructural(schema)).toEqual([]);
  });

  it('merges object union branches into one object', () => {
    const schema = toStructural(open(z.union([z.strictObject({ a: z.string() }), z.strictObject({ b: z.int() })])));
    expect(schema).toEqual({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } } });
  });

  it('keeps records as additionalProperties', () => {
    expect(toStructural(open(z.record(z.string(), z.string())))).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
  });

  it('drops patterns Go cannot compile (lookaround)', () => {
    expect(toStructural({ type: 'string', pattern: '^(?!-)[a-z]+$' })).toEqual({ type: 'string' });
  });

  it('refuses a $ref', () => {
    expect(() => toStructural({ $ref: '#/definitions/x' })).toThrow(/\$ref/);
  });
});

describe('checkStructural', () => {
  // The checker must be able to fail, or "the CRDs are structural" proves nothing.
  it.each([
    ['a node without a type', { type: 'object', properties: { a: { description: 'x' } } }, /must have a type/],
    ['a type inside anyOf', { type: 'string', anyOf: [{ type: 'string' }] }, /must not be set inside/],
    ['additionalProperties next to properties', { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }, /mutually exclusive/],
    ['a $ref', { type: 'object', properties: { a: { $ref: '#/x' } } }, /"\$ref" is not allowed/],
    ['type null', { type: 'object', properties: { a: { type: 'null' } } }, /type "null"/],
    ['uniqueItems', { type: 'array', items: { type: 'string' }, uniqueItems: true }, /uniqueItems/],
    ['preserve-unknown-fields false', { type: 'object', 'x-kubernetes-preserve-unknown-fields': false }, /must be true or absent/],
    [
      'metadata fields beyond name',
      { type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } },
      /only name and generateName/,
    ],
    ['a lookahead pattern', { type: 'string', pattern: '(?=a)' }, /RE2/],
    ['tuple items', { type: 'array', items: [{ type: 'string' }] }, /single schema/],
  ])('reports %s', (_name, schema, rule) => {
    const problems = checkStructural(schema as Record<string, unknown>);
    expect(problems.join('\n')).toMatch(rule);
  });
});

describe('generated CRDs', () => {
  it.each(allKinds.map((k) => [k.kind, k] as const))('%s is structural, with identity, subresources and printer columns', (_name, kind) => {
    const crd = buildCrd(kind) as { metadata: { name: string }; spec: Record<string, unknown> };
    expect(crd.metadata.name).toBe(`${kind.plural}.qdrant.io`);
    const schema = crdSchemaOf(kind);
    expect(checkStructural(schema)).toEqual([]);
    const spec = crd.spec as {
      scope: string;
      names: { shortNames?: string[] };
      versions: Array<{ subresources: object; additionalPrinterColumns: unknown[] }>;
    };
    expect(spec.scope).toBe(kind.scope);
    expect(spec.names.shortNames ?? []).toEqual([...kind.shortNames]);
    expect(spec.versions[0]?.additionalPrinterColumns).toHaveLength(kind.printerColumns.length);
    if (kind.subresources.status) expect(spec.versions[0]?.subresources).toHaveProperty('status');
  });

  it('QdrantCluster has the scale subresource on spec.size / status.currentNodes', () => {
    const crd = buildCrd(allKinds.find((k) => k.kind === 'QdrantCluster')!) as { spec: { versions: Array<{ subresources: Record<string, unknown> }> } };
    expect(crd.spec.versions[0]?.subresources.scale).toEqual({
      specReplicasPath: '.spec.size',
      statusReplicasPath: '.status.currentNodes',
      labelSelectorPath: '.status.selector',
    });
  });
});

describe('committed generated files', () => {
  it('match what the generator writes now (run `pnpm --filter @qhc/schemas generate`)', () => {
    for (const artifact of generateArtifacts()) {
      let committed: string;
      try {
        committed = readFileSync(new URL(`../generated/${artifact.path}`, import.meta.url), 'utf8');
      } catch {
        throw new Error(`generated/${artifact.path} is missing: run pnpm --filter @qhc/schemas generate`);
      }
      expect(committed, `generated/${artifact.path} is stale`).toBe(artifact.content);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { APPLIED_HASH_ANNOTATION, appliedHash, isSubset, unchanged, withoutAnnotations, type KubeObject } from '../src/index.ts';

const desired: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', namespace: 'n', annotations: { 'qhc.dev/region-revision': '3' } },
  data: { a: '1' },
};
/** As the apiserver returns it after an apply of `object`: stamped, with fields of its own. */
const live = (object: KubeObject, extra: Record<string, unknown> = {}): KubeObject => ({
  ...object,
  ...extra,
  metadata: {
    ...object.metadata,
    resourceVersion: '12',
    annotations: { ...object.metadata.annotations, [APPLIED_HASH_ANNOTATION]: appliedHash(withoutAnnotations(object, ['qhc.dev/region-revision'])) },
  } as KubeObject['metadata'],
});
const ignore = { ignoreAnnotations: ['qhc.dev/region-revision'] };

describe('apply if changed', () => {
  it('hashes objects the same whatever their key order', () => {
    expect(appliedHash({ a: 1, b: { c: 2, d: 3 } })).toBe(appliedHash({ b: { d: 3, c: 2 }, a: 1 }));
    expect(appliedHash({ a: 1 })).not.toBe(appliedHash({ a: 2 }));
  });

  it('isSubset: what desired sets, live has; a null or an empty list is a missing field', () => {
    expect(isSubset({ a: [{ x: 1 }] }, { a: [{ x: 1, y: 2 }], b: 1 })).toBe(true);
    expect(isSubset({ a: [{ x: 1 }] }, { a: [{ x: 1 }, { x: 2 }] })).toBe(false);
    expect(isSubset({ a: null, b: [] }, {})).toBe(true);
    expect(isSubset({ b: [] }, { b: [1] })).toBe(false);
    expect(isSubset({ c: {} }, {})).toBe(false);
    expect(isSubset({ a: { b: 1 } }, { a: 1 })).toBe(false);
  });

  it('unchanged: the same object, a new revision annotation only', () => {
    const next = { ...desired, metadata: { ...desired.metadata, annotations: { 'qhc.dev/region-revision': '4' } } };
    expect(unchanged(next, live(desired, { immutable: false }), ignore)).toBe(true);
    expect(unchanged(next, live(desired))).toBe(false);
  });

  it('changed: missing, drifted, a field dropped from desired, an edited hash', () => {
    expect(unchanged(desired, undefined, ignore)).toBe(false);
    expect(unchanged(desired, { ...live(desired), data: { a: '2' } }, ignore)).toBe(false);
    const dropped = { ...desired, data: {} };
    expect(unchanged(dropped, live(desired), ignore)).toBe(false);
    const edited = live(desired);
    edited.metadata.annotations = { ...edited.metadata.annotations, [APPLIED_HASH_ANNOTATION]: 'x' };
    expect(unchanged(desired, edited, ignore)).toBe(false);
  });
});

/** As the apiserver keeps it: stringData merged into data, base64, and never returned. */
const stored = (object: KubeObject, token: string): KubeObject => {
  const { stringData: _dropped, ...rest } = live(object) as KubeObject & { stringData?: unknown };
  return { ...rest, data: { token: Buffer.from(token).toString('base64') } };
};

describe('apply if changed: a Secret written with stringData', () => {
  const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, type: 'Opaque', stringData: { token: 'pull:me' } };

  it('is unchanged when the stored data holds it (stringData is never read back)', () => {
    expect(unchanged(secret, stored(secret, 'pull:me'))).toBe(true);
  });

  it('is changed when the stored data differs from it', () => {
    expect(unchanged(secret, stored(secret, 'someone:else'))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { qdrantClusterFixture } from '@qhc/schemas/test';
import { specOrMetaChanged } from '../src/controller.ts';

describe('specOrMetaChanged', () => {
  const fixture = qdrantClusterFixture('c');
  const base = {
    ...fixture,
    metadata: { ...fixture.metadata, generation: 3, resourceVersion: '10', annotations: { a: '1' }, finalizers: ['qhc.dev/cluster'] },
  };
  it('ignores a status write (only the resourceVersion moves)', () => {
    expect(specOrMetaChanged({ ...base, metadata: { ...base.metadata, resourceVersion: '11' }, status: { phase: 'Healthy' } } as never, base)).toBe(false);
  });
  it('sees a spec change, an annotation (restartedAt), a finalizer and a deletion', () => {
    expect(specOrMetaChanged({ ...base, metadata: { ...base.metadata, generation: 4 } }, base)).toBe(true);
    expect(specOrMetaChanged({ ...base, metadata: { ...base.metadata, annotations: { a: '1', restartedAt: 'now' } } }, base)).toBe(true);
    expect(specOrMetaChanged({ ...base, metadata: { ...base.metadata, finalizers: [] } }, base)).toBe(true);
    expect(specOrMetaChanged({ ...base, metadata: { ...base.metadata, deletionTimestamp: '2026-12-01T00:00:00Z' } }, base)).toBe(true);
  });
});

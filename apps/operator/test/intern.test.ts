// Interning (src/intern.ts) is measured on the heap: JavaScript cannot tell two equal strings
// apart, but a heap holding one copy instead of thousands can.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { KubeObject } from '@qhc/kube';
import { describe, expect, it } from 'vitest';
import { cacheTransform } from '../src/cache-transform.ts';
import { intern, internStrings } from '../src/intern.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap growth (bytes) while `run` builds what it returns, after a full GC, with what it returns still held. */
function retained(run: () => unknown): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const held = run();
  gc();
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  expect(held).toBeDefined();
  return grown;
}

const COUNT = 20_000;
const wire = (i: number) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name: `qdrant-c${i}`,
      namespace: 'qdrant-customers-eu-west',
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      resourceVersion: String(1000 + i),
      labels: { 'app.kubernetes.io/managed-by': 'qhc-operator', 'app.kubernetes.io/name': 'qdrant-database' },
      ownerReferences: [{ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', name: `qdrant-c${i}`, uid: 'owner-uid', controller: true }],
    },
    spec: { template: { spec: { containers: [{ name: 'qdrant-database', image: 'registry.example.com/qdrant/qdrant:v1.12.4-unprivileged' }] } } },
  });

describe('interning', () => {
  it('gives equal strings', () => {
    const text = ['qhc', 'operator'].join('-');
    expect(intern(text)).toBe('qhc-operator');
    expect(internStrings({ a: [text, { b: text }], n: 1, z: null })).toEqual({ a: ['qhc-operator', { b: 'qhc-operator' }], n: 1, z: null });
  });

  it('keeps one copy of the strings cached objects share', () => {
    const transform = cacheTransform('StatefulSet');
    const cached = retained(() => Array.from({ length: COUNT }, (_, i) => transform(JSON.parse(wire(i)) as KubeObject))) / COUNT;
    const parsed = retained(() => Array.from({ length: COUNT }, (_, i) => JSON.parse(wire(i)) as KubeObject)) / COUNT;
    // The transform keeps every field here: what it saves is the copies of the namespace, the
    // two label values, the owner's apiVersion, kind and uid, the container's name and image
    // (about 300 bytes an object as parsed).
    expect(parsed - cached).toBeGreaterThan(200);
  });

  it('holds no string that nothing else holds: churn does not grow the table', () => {
    // 300k distinct 60-character strings, none kept: a table holding them would retain > 25 MiB.
    const grown = retained(() => {
      let last = '';
      for (let i = 0; i < 300_000; i++) last = intern(`${'u'.repeat(48)}-${String(i).padStart(11, '0')}`);
      return last;
    });
    expect(grown).toBeLessThan(4 * 2 ** 20);
  });
});

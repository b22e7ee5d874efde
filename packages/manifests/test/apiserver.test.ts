import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, loadKubeConfig, type KubeClient } from '@qhc/kube';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildClusterObjects, type KubeObject } from '../src/index.ts';
import { cluster, settings } from './fixtures.ts';
import { matrix } from './matrix.ts';

const sandbox = useSandboxNamespace('manifests');
let client: KubeClient;
beforeAll(() => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-manifests-test' });
});

async function dryRun(objects: KubeObject[]): Promise<string[]> {
  const refused: string[] = [];
  for (const object of objects) {
    try {
      await client.apply(object as never, { dryRun: true });
    } catch (error) {
      refused.push(`${object.kind}/${object.metadata.name}: ${(error as Error).message}`);
    }
  }
  return refused;
}

describe('cluster objects on the real apiserver', () => {
  it.each(matrix('x').map((m, index) => [m.name, index] as const))('%s passes server-side dry-run', async (_name, index) => {
    const entry = matrix(sandbox.namespace)[index]!;
    const objects = buildClusterObjects(entry.cluster, entry.settings);
    expect(objects.length).toBeGreaterThan(3);
    expect(await dryRun(objects), entry.name).toEqual([]);
  });

  it('apply for real: the StatefulSet runs 3/3 with bound volumes on the sandbox', async () => {
    const objects = buildClusterObjects(cluster('real', {}, { namespace: sandbox.namespace }), settings()).map((o) => {
      // No QdrantCluster object exists here to own them.
      const { ownerReferences: _ignored, ...metadata } = o.metadata;
      return { ...o, metadata };
    });
    for (const object of objects) await client.apply(object as never);
    const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: sandbox.namespace, name: 'qdrant-real' };
    let ready = 0;
    for (let i = 0; i < 100 && ready !== 3; i++) {
      const sts = await client.get<KubeObject & { status?: { readyReplicas?: number } } & never>(ref);
      ready = (sts as { status?: { readyReplicas?: number } } | undefined)?.status?.readyReplicas ?? 0;
      if (ready !== 3) await new Promise((r) => setTimeout(r, 200));
    }
    expect(ready).toBe(3);
  });

  it('random valid clusters always yield objects the apiserver accepts (300 clusters)', async () => {
    const spec = fc.record(
      {
        size: fc.integer({ min: 1, max: 5 }),
        servicePerNode: fc.boolean(),
        service: fc.record({ type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer') }),
        resources: fc.record({
          cpu: fc.constantFrom('100m', '1', '2', '3500m'),
          memory: fc.constantFrom('512Mi', '1Gi', '8Gi'),
          storage: fc.constantFrom('1Gi', '20Gi', '1Ti'),
        }),
        onDemandReplication: fc.constantFrom('Off', 'Auto', 'On'),
        nodeSelector: fc.dictionary(fc.constantFrom('zone', 'example.com/pool', 'tier'), fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/), { maxKeys: 2 }),
        statefulSet: fc.record({
          pods: fc.record({ labels: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z]$/), fc.stringMatching(/^[a-z0-9]{0,10}$/), { maxKeys: 3 }) }),
        }),
        config: fc.record(
          { log_level: fc.constantFrom('DEBUG', 'INFO', 'WARN'), collection: fc.record({ replication_factor: fc.integer({ min: 1, max: 3 }) }) },
          { requiredKeys: [] },
        ),
        startupDelaySeconds: fc.integer({ min: 0, max: 600 }),
      },
      { requiredKeys: ['size', 'resources'] },
    );
    let index = 0;
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const objects = buildClusterObjects(cluster(`p-${index++}`, s, { namespace: sandbox.namespace }), settings());
        expect(await dryRun(objects)).toEqual([]);
      }),
      { numRuns: 300 },
    );
    // ~2,400 dry-run applies: minutes on a loaded two-core machine, seconds on an idle one.
  }, 300_000);
});

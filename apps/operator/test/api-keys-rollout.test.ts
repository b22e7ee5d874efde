// A changed API key rolls the cluster's pods with nothing else changing: the operator watches the
// api-key Secret, and the key's hash on the pod template makes the StatefulSet replace its pods
// (Qdrant reads its keys only when it starts).
import type { KubeObject } from '@qhc/kube';
import { waitFor } from '@qhc/kube-sandbox';
import { describe, expect, it } from 'vitest';
import { API_KEYS_HASH_ANNOTATION } from '../src/index.ts';
import { useOperator, watchRollout } from './support/harness.ts';

const h = useOperator('api-keys');
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('rotating an API key', () => {
  const id = 'k1';
  const secret = (key: string): KubeObject =>
    ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `qdrant-${id}-api-keys`, namespace: h.sandbox.namespace, labels: { 'cluster-id': id } },
      type: 'Opaque',
      data: { 'api-key': b64(key) },
    }) as KubeObject;
  const podHashes = async () => (await h.pods(id)).map((p) => p.metadata.annotations?.[API_KEYS_HASH_ANNOTATION]);

  it('replaces every pod when only the Secret changes', async () => {
    await h.client.apply(secret('first-key'), { fieldManager: 'qhc-agent' });
    const service = { api_key: { secretKeyRef: { name: `qdrant-${id}-api-keys`, key: 'api-key' } } };
    await h.client.apply(h.clusterObject(id, { size: 2, config: { service } }));
    await h.waitFor(id, 'Healthy', (c) => c.status?.phase === 'Healthy' && c.status.availableNodes === 2);
    const [before] = await podHashes();
    expect(before).toMatch(/^[0-9a-f]{64}$/);

    const watch = await watchRollout(h, id);
    try {
      await h.client.apply(secret('second-key'), { fieldManager: 'qhc-agent' });
      await waitFor(
        'every pod from the new template',
        async () => {
          const hashes = await podHashes();
          return hashes.length === 2 && hashes.every((x) => x !== undefined && x !== before) ? true : undefined;
        },
        { timeoutMs: 90_000 },
      );
      await h.waitFor(id, 'Healthy again', (c) => c.status?.phase === 'Healthy' && c.status.availableNodes === 2);
      expect([...watch.state.recreated].toSorted()).toEqual([`qdrant-${id}-0`, `qdrant-${id}-1`]);
    } finally {
      await watch.stop();
    }
  });
});

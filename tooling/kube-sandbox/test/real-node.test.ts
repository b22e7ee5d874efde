// The opt-in real node: a kubelet with containerd beside kwok's node. A pod the test-only policy
// marks runs there for real (the locally built pause image, host network, the apiserver's
// loopback address in its environment); any other pod keeps going to kwok's node.
import { describe, expect, it } from 'vitest';
import { applyRealNodePolicy, PAUSE_IMAGE, REAL_NODE_NAMESPACE_LABEL, waitFor } from '../src/index.ts';
import { useRealNode, useSandboxNamespace } from '../src/vitest.ts';

const sandbox = useSandboxNamespace('real-node');
const real = useRealNode();

interface Pod {
  spec: { nodeName?: string; hostNetwork?: boolean; containers: Array<{ env?: Array<{ name: string; value?: string }> }> };
  status?: { phase?: string; containerStatuses?: Array<{ ready: boolean; state?: { running?: unknown } }> };
}

const pod = (name: string, labels: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: sandbox.namespace, labels },
  spec: { containers: [{ name: 'main', image: PAUSE_IMAGE, imagePullPolicy: 'Never' }] },
});
const podPath = (name: string) => `/api/v1/namespaces/${sandbox.namespace}/pods/${name}`;

describe('the real node', () => {
  it('registers Ready and tainted, and reports its start-up time and memory', async () => {
    const node = await sandbox.client.call<{ spec: { taints?: Array<{ key: string; effect: string }> } }>('GET', `/api/v1/nodes/${real.node.name}`);
    expect(node?.spec.taints).toContainEqual(expect.objectContaining({ key: real.node.taint, effect: 'NoSchedule' }));
    expect(real.node.figures.startupMs).toBeGreaterThan(0);
    const memory = await real.memory();
    expect(memory.kubelet).toBeGreaterThan(0);
    expect(memory.containerd).toBeGreaterThan(0);
  });

  it('runs a marked pod for real with host network and the loopback apiserver; other pods stay on kwok', async () => {
    await applyRealNodePolicy(sandbox.client, { nodeName: real.node.name, apiServerPort: real.node.apiServerPort, podLabels: { 'sandbox.test/real': 'yes' } });
    await sandbox.client.call('PATCH', `/api/v1/namespaces/${sandbox.namespace}`, {
      body: { metadata: { labels: { [REAL_NODE_NAMESPACE_LABEL]: 'true' } } },
      contentType: 'application/merge-patch+json',
    });
    // The policy acts once the apiserver has loaded it: create until a pod comes out mutated.
    await waitFor('the policy to mutate a new pod', async () => {
      await sandbox.client.call('DELETE', podPath('marked'), { allowNotFound: true });
      await waitFor('the previous pod gone', async () => ((await sandbox.client.call('GET', podPath('marked'), { allowNotFound: true })) ? undefined : true));
      const created = await sandbox.client.call<Pod>('POST', `/api/v1/namespaces/${sandbox.namespace}/pods`, {
        body: pod('marked', { 'sandbox.test/real': 'yes' }),
      });
      return created?.spec.hostNetwork ? true : undefined;
    });
    await sandbox.client.call('POST', `/api/v1/namespaces/${sandbox.namespace}/pods`, { body: pod('plain', {}) });
    const marked = await waitFor(
      'the marked pod running on the real node',
      async () => {
        const p = await sandbox.client.call<Pod>('GET', podPath('marked'));
        return p?.status?.containerStatuses?.[0]?.state?.running ? p : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(marked.spec.nodeName).toBe(real.node.name);
    expect(marked.spec.containers[0]!.env).toEqual(
      expect.arrayContaining([
        { name: 'KUBERNETES_SERVICE_HOST', value: '127.0.0.1' },
        { name: 'KUBERNETES_SERVICE_PORT', value: String(real.node.apiServerPort) },
      ]),
    );
    const plain = await waitFor('the plain pod scheduled', async () => (await sandbox.client.call<Pod>('GET', podPath('plain')))?.spec.nodeName);
    expect(plain).toBe('sandbox-node-0');
    await sandbox.client.call('DELETE', podPath('marked'));
  });
});

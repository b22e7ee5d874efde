// Holds Qdrant pods not Ready for as long as a test needs: a test-only MutatingAdmissionPolicy
// gives every Qdrant pod created meanwhile the kwok annotation that keeps it Pending
// (`sandbox.qhc.dev/never-ready`, see tooling/kube-sandbox/manifests/kwok-stages.yaml).
import { waitFor } from '@qhc/kube-sandbox';
import type { KubeClient, KubeObject } from '@qhc/kube';

const NAME = 'qhc-test-hold-qdrant-pods';
const NEVER_READY = 'sandbox.qhc.dev/never-ready';
const POD_LABELS = { app: 'qdrant', 'app.kubernetes.io/component': 'database' };
const ADMISSION = 'admissionregistration.k8s.io/v1';

export interface Hold {
  /** Resolves once a pod of the cluster (its `app.kubernetes.io/instance`) exists and is held. */
  waitForPod(instance: string): Promise<void>;
  /** Drops the policy and deletes the held pods: their StatefulSets make them again, free to become Ready. */
  release(): Promise<void>;
}

/** Resolves once the apiserver applies the policy (it loads policies from a watch, a moment after the write). */
export async function holdQdrantPods(client: KubeClient, namespace: string): Promise<Hold> {
  await client.apply({ apiVersion: ADMISSION, kind: 'MutatingAdmissionPolicy', metadata: { name: NAME }, spec: policySpec(namespace) } as KubeObject);
  await client.apply({ apiVersion: ADMISSION, kind: 'MutatingAdmissionPolicyBinding', metadata: { name: NAME }, spec: { policyName: NAME } } as KubeObject);
  await waitFor('the pod hold in force', async () => ((await held(client, namespace)) ? true : undefined));
  return {
    waitForPod: async (instance) => {
      await waitFor(`a pod of ${instance} held`, async () => {
        const pods = await client.list<KubeObject>({ apiVersion: 'v1', kind: 'Pod' }, { namespace, labelSelector: `app.kubernetes.io/instance=${instance}` });
        return pods.items.some((p) => p.metadata.annotations?.[NEVER_READY] === 'held') ? true : undefined;
      });
    },
    release: () => release(client, namespace),
  };
}

async function release(client: KubeClient, namespace: string): Promise<void> {
  await client.delete({ apiVersion: ADMISSION, kind: 'MutatingAdmissionPolicyBinding', name: NAME });
  await client.delete({ apiVersion: ADMISSION, kind: 'MutatingAdmissionPolicy', name: NAME });
  await waitFor('the pod hold lifted', async () => ((await held(client, namespace)) ? undefined : true));
  const pods = await client.list<KubeObject>({ apiVersion: 'v1', kind: 'Pod' }, { namespace, labelSelector: 'app=qdrant' });
  for (const pod of pods.items.filter((p) => p.metadata.annotations?.[NEVER_READY] === 'held')) {
    await client.delete({ apiVersion: 'v1', kind: 'Pod', namespace, name: pod.metadata.name! });
  }
}

/** Whether a Qdrant pod created now would be held: a dry-run create shows what admission makes of it. */
async function held(client: KubeClient, namespace: string): Promise<boolean> {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${NAME}-probe`, namespace, labels: POD_LABELS },
    spec: { containers: [{ name: 'q', image: 'example.invalid/q:1' }] },
  };
  return (await client.apply(pod as KubeObject, { dryRun: true })).metadata.annotations?.[NEVER_READY] === 'held';
}

function policySpec(namespace: string): Record<string, unknown> {
  return {
    failurePolicy: 'Fail',
    reinvocationPolicy: 'Never',
    matchConstraints: {
      resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
      objectSelector: { matchLabels: POD_LABELS },
    },
    mutations: [
      {
        patchType: 'ApplyConfiguration',
        // 'held', not 'true': release deletes only the pods this hold made.
        applyConfiguration: { expression: `Object{metadata: Object.metadata{annotations: {"${NEVER_READY}": "held"}}}` },
      },
    ],
  };
}

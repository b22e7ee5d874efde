// Holds back the creation of QdrantClusters in one namespace, but for those named, with a
// ValidatingAdmissionPolicy: an agent applying a desired state then gets exactly those in and
// the rest refused (and retried), for as long as the test wants it mid-apply. A poll racing the
// agent's applies could not promise that: a fast agent had them all in before the kill.
import { waitFor } from '@qhc/kube-sandbox';
import type { KubeClient, KubeObject } from '@qhc/kube';
import { clusterObject, clusterRef } from './clusters.ts';

export interface AdmissionHold {
  /** Lets every cluster in again: the policy and its binding deleted. */
  release(): Promise<void>;
}

const ADMISSION = 'admissionregistration.k8s.io/v1';
const HELD = 'held back by the test until the agent is killed';

/** Only clusters `allowedIds` may be created in `namespace` until release(); in force when this returns. */
export async function holdClusterCreation(client: KubeClient, namespace: string, allowedIds: string[]): Promise<AdmissionHold> {
  const name = `qhc-faults-hold-${namespace}`;
  const names = allowedIds.map((id) => JSON.stringify(clusterRef(namespace, id).name)).join(', ');
  const probe = clusterObject(namespace, 'held-back-probe');
  const release = async () => {
    await client.delete({ apiVersion: ADMISSION, kind: 'ValidatingAdmissionPolicyBinding', name });
    await client.delete({ apiVersion: ADMISSION, kind: 'ValidatingAdmissionPolicy', name });
  };
  try {
    await client.apply(policy(name, names));
    await client.apply(binding(name, namespace));
    // The apiserver enforces a policy once its own informer has it: until a held-back cluster is
    // refused (a dry run, which writes nothing), the agent could still get it in.
    await waitFor('the admission hold in force', () => dryRun(client, probe).then((refused) => refused || undefined), { timeoutMs: 30_000, intervalMs: 100 });
  } catch (error) {
    // Cluster-scoped: nothing else would take them away.
    await release();
    throw error;
  }
  return {
    async release() {
      await release();
      // Likewise lifted only once the apiserver's informer has seen the deletion.
      await waitFor('the admission hold lifted', () => dryRun(client, probe).then((refused) => !refused || undefined), { timeoutMs: 30_000, intervalMs: 100 });
    },
  };
}

/** Whether the hold refuses `cluster` (another refusal is thrown: it is not the hold's). */
async function dryRun(client: KubeClient, cluster: KubeObject): Promise<boolean> {
  try {
    await client.apply(cluster, { dryRun: true });
    return false;
  } catch (error) {
    if (error instanceof Error && error.message.includes(HELD)) return true;
    throw error;
  }
}

const policy = (name: string, names: string): KubeObject =>
  ({
    apiVersion: ADMISSION,
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: ['qdrant.io'], apiVersions: ['*'], operations: ['CREATE'], resources: ['qdrantclusters'] }] },
      validations: [{ expression: `object.metadata.name in [${names}]`, message: HELD }],
    },
  }) as KubeObject;

const binding = (name: string, namespace: string): KubeObject =>
  ({
    apiVersion: ADMISSION,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec: {
      policyName: name,
      validationActions: ['Deny'],
      matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } },
    },
  }) as KubeObject;

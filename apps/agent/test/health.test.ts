import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it, beforeAll } from 'vitest';
import { AGENT_CLUSTER_RULES, AGENT_ROLE_RULES } from '@qhc/manifests';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { waitFor } from '@qhc/kube-sandbox';
import { createKubeClient, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { RegionHealth, allKinds, buildCrd } from '@qhc/schemas';
import { collectHealth, collectStatus, distributionOf } from '../src/index.ts';

// What the agent reports as the region's health, read from the sandbox as it is set up
// (tooling/kube-sandbox/manifests/cluster.yaml: one kwok node, qhc-expandable as the default
// class, qhc-fixed, the csi-snapclass VolumeSnapshotClass). Nothing cluster-scoped is changed.

const sandbox = useSandboxNamespace('agent-health');
let client: KubeClient;

beforeAll(() => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-agent' });
});

const deployment = (name: string, image: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: sandbox.namespace },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } } },
});

describe('collectHealth', () => {
  it('reports the version, nodes, classes and capabilities; clusters cannot be created while the operator is missing', async () => {
    const health = await collectHealth(client, sandbox.namespace, () => new Date('2026-12-03T21:00:00Z'));
    expect(RegionHealth.parse(health)).toEqual(health);
    expect(health.kubernetes).toEqual({ version: 'v1.37.2', distribution: 'kwok' });
    expect(health.nodes.count).toBeGreaterThanOrEqual(1);
    expect(health.storageClasses).toEqual(
      expect.arrayContaining([
        { name: 'qhc-expandable', provisioner: 'sandbox.qhc.dev/volume', default: true, allowVolumeExpansion: true, reclaimPolicy: 'Delete' },
        { name: 'qhc-fixed', provisioner: 'sandbox.qhc.dev/volume', default: false, allowVolumeExpansion: false, reclaimPolicy: 'Delete' },
      ]),
    );
    expect(health.volumeSnapshotClasses).toContainEqual({ name: 'csi-snapclass', driver: 'sandbox.qhc.dev', default: true, deletionPolicy: 'Delete' });
    expect(health.capabilities).toEqual({ volumeSnapshot: true, volumeExpansion: true });
    expect(health.components).toEqual([
      { name: 'qhc-operator', ready: false, message: 'not installed' },
      { name: 'qhc-agent', ready: false, message: 'not installed' },
      { name: 'qhc-cluster-manager', ready: false, message: 'not installed' },
    ]);
    expect([health.canCreateClusters, health.reason]).toEqual([false, 'the operator is not ready (not installed)']);
    expect(health.collectedAt).toBe('2026-12-03T21:00:00.000Z');
  });

  it("follows the operator settings: a named class that does not exist blocks clusters, in the preflight's words", async () => {
    await client.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'qhc-operator-settings', namespace: sandbox.namespace },
      data: { 'operator-settings.yaml': 'settings:\n  storage:\n    snapshot_class: nope\n    default_storage_class_names:\n      db: qhc-fixed\n' },
    } as KubeObject);
    let health = await collectHealth(client, sandbox.namespace);
    expect(health.capabilities).toEqual({ volumeSnapshot: false, volumeExpansion: false });
    await client.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'qhc-operator-settings', namespace: sandbox.namespace },
      data: { 'operator-settings.yaml': 'settings:\n  storage:\n    default_storage_class_names:\n      db: gone\n' },
    } as KubeObject);
    health = await collectHealth(client, sandbox.namespace);
    expect(health.reason).toBe('StorageClass "gone", named at settings.storage.default_storage_class_names.db, does not exist');
  });

  it("each component's version and readiness; with a ready operator and a class, clusters can be created", async () => {
    await client.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'qhc-operator-settings', namespace: sandbox.namespace },
      data: { 'operator-settings.yaml': 'settings: {}\n' },
    } as KubeObject);
    await client.apply(deployment('qhc-operator', 'registry.example.com:5000/qhc/qhc-operator:0.3.1'));
    await client.apply(deployment('qhc-agent', 'registry.example.com:5000/qhc/qhc-agent:0.3.1@sha256:' + 'a'.repeat(64)));
    // kwok plays the kubelet: the pod becomes ready, then the Deployment counts it.
    const health = await waitFor('the operator Deployment to be ready', async () => {
      const h = await collectHealth(client, sandbox.namespace);
      return h.canCreateClusters ? h : undefined;
    });
    expect(health.reason).toBeUndefined();
    expect(health.components.slice(0, 2)).toEqual([
      { name: 'qhc-operator', version: '0.3.1', ready: true },
      expect.objectContaining({ name: 'qhc-agent', version: '0.3.1' }),
    ]);
  });
});

describe("the agent's RBAC", () => {
  it("is enough to collect the health: as a ServiceAccount bound to exactly the installation's rules", async () => {
    const ns = sandbox.namespace;
    const name = `health-agent-${ns}`;
    const rbac = 'rbac.authorization.k8s.io/v1';
    const subjects = [{ kind: 'ServiceAccount', name: 'qhc-agent', namespace: ns }];
    await client.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'qhc-agent', namespace: ns } } as KubeObject);
    await client.apply({ apiVersion: rbac, kind: 'Role', metadata: { name: 'qhc-agent', namespace: ns }, rules: AGENT_ROLE_RULES } as KubeObject);
    await client.apply({
      apiVersion: rbac,
      kind: 'RoleBinding',
      metadata: { name: 'qhc-agent', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'qhc-agent' },
      subjects,
    } as KubeObject);
    await client.apply({ apiVersion: rbac, kind: 'ClusterRole', metadata: { name }, rules: AGENT_CLUSTER_RULES } as KubeObject);
    await client.apply({
      apiVersion: rbac,
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects,
    } as KubeObject);
    try {
      const token = await client.transport.request<{ status: { token: string } }>('POST', `/api/v1/namespaces/${ns}/serviceaccounts/qhc-agent/token`, {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } },
      });
      const file = join(mkdtempSync(join(tmpdir(), 'qhc-agent-rbac-')), 'kubeconfig');
      writeFileSync(
        file,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 's', cluster: { server: sandbox.server, 'certificate-authority-data': readFileSync(sandbox.caFile).toString('base64') } }],
          users: [{ name: 'agent', user: { token: token.body.status.token } }],
          contexts: [{ name: 'agent', context: { cluster: 's', user: 'agent', namespace: ns } }],
          'current-context': 'agent',
        }),
      );
      const asAgent = createKubeClient(loadKubeConfig({ kubeconfigPath: file }), { fieldManager: 'qhc-agent' });
      // RBAC bindings take effect through the authorizer's cache: polled, not slept on.
      const health = await waitFor('the health as the agent', () => collectHealth(asAgent, ns).catch(() => undefined));
      expect(health).toMatchObject({ kubernetes: { version: 'v1.37.2' }, capabilities: { volumeSnapshot: true, volumeExpansion: true } });
      expect(health.storageClasses.length).toBeGreaterThanOrEqual(2);
    } finally {
      await client.delete({ apiVersion: rbac, kind: 'ClusterRoleBinding', name });
      await client.delete({ apiVersion: rbac, kind: 'ClusterRole', name });
    }
  });
});

describe('collectStatus', () => {
  it('sends the health with every status report, whole and valid', async () => {
    for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
    await waitFor('CRDs served', () => client.list({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster' }, { namespace: sandbox.namespace }).then(() => true));
    const regionName = `health-${sandbox.namespace}`;
    const report = await collectStatus(client, sandbox.namespace, regionName, 1, '0.3.1');
    // collectStatus writes the cluster-scoped QdrantCloudRegion: not left behind in the shared sandbox.
    await client.delete({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCloudRegion', name: regionName });
    expect(RegionHealth.parse(report.health)).toEqual(report.health);
    expect(report.health).toMatchObject({ kubernetes: { version: 'v1.37.2' }, capabilities: { volumeSnapshot: true, volumeExpansion: true } });
  });
});

describe('distributionOf', () => {
  it("tells the distribution from the version suffix, else the nodes' provider IDs", () => {
    expect(distributionOf('v1.31.4-eks-2f4a1b', [])).toBe('eks');
    expect(distributionOf('v1.30.5-gke.1014001', [])).toBe('gke');
    expect(distributionOf('v1.31.2+k3s1', [])).toBe('k3s');
    expect(distributionOf('v1.31.2', ['azure:///subscriptions/x'])).toBe('aks');
    expect(distributionOf('v1.31.2', ['kind://docker/kind/kind-control-plane'])).toBe('kind');
    expect(distributionOf('v1.31.2', [''])).toBe('kubernetes');
  });
});

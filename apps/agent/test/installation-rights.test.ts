// The installation with the agent's own rights (never cluster-scoped RBAC, only qdrant.io
// CRDs), one it may not apply, and one Helm installed (reported, never changed).
import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '@qhc/kube';
import { buildInstallation, INSTALLATION_HASH_ANNOTATION, INSTALLER_FIELD_MANAGER, installationHash } from '@qhc/manifests';
import { QDRANT_API_VERSION, clusterResourceName, parseRegion } from '@qhc/schemas';
import { clusterSpecFixture } from '@qhc/schemas/test';
import { applyDesiredState } from '../src/index.ts';
import { baseRegion, crds, desired, env, logger, useInstallation } from './support/installation.ts';

const h = useInstallation('agent-install-rights');

describe("with the agent's own rights", () => {
  it('its ServiceAccount may apply every installation object but cluster-scoped RBAC, CRDs and namespaced RBAC included', async () => {
    // The apiserver authorizes every call as the agent in a pod would be.
    const asAgent = await h.clientAs('qhc-agent');
    // Not vacuous: the apiserver enforces RBAC on this identity.
    await expect(asAgent.list({ apiVersion: 'v1', kind: 'Secret' }, { namespace: 'kube-system' })).rejects.toThrow(/forbidden/i);
    const changed = { ...baseRegion(h.ns), advanced: { proxy: { httpsProxy: 'http://proxy.internal:3128' }, logLevel: { agent: 'DEBUG' as const } } };
    const result = await applyDesiredState(asAgent, h.ns, desired(changed, { registryCredentials: { username: 'u', password: 'p' } }), logger);
    expect(result.installation).toMatchObject({ managedBy: 'agent', upToDate: true });
    expect(result.applied).toEqual(
      expect.arrayContaining(['CustomResourceDefinition/qdrantclusters.qdrant.io', 'Role/qhc-operator', 'RoleBinding/qhc-agent', 'Deployment/qhc-agent']),
    );
    // ClusterRoles and their bindings come from re-running the installation as cluster-admin.
    expect(result.applied.filter((a) => a.startsWith('Cluster'))).toEqual([]);
    expect(env(await h.deployment('qhc-agent')).QHC_LOG_LEVEL).toBe('DEBUG');
    await applyDesiredState(h.client, h.ns, desired(baseRegion(h.ns)), logger);
  });

  it("applies from the desired state's crds only qdrant.io CustomResourceDefinitions: never a ClusterRole, nor another group's CRD", async () => {
    const admin = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: `qhc-agent-${h.ns}` },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    };
    const foreign = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${h.ns}.example.com` },
      spec: {
        group: `${h.ns}.example.com`,
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
      },
    };
    const before = await h.client.get<KubeObject & { rules: unknown[] }>({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      name: `qhc-agent-${h.ns}`,
    });
    const result = await applyDesiredState(h.client, h.ns, desired(baseRegion(h.ns), { crds: [...crds(), admin, foreign] }), logger);
    expect(result.applied).not.toContain(`ClusterRole/qhc-agent-${h.ns}`);
    expect(result.applied).not.toContain(`CustomResourceDefinition/${foreign.metadata.name}`);
    // Applied, or already as desired (then not written).
    expect([...result.applied, ...result.unchanged].filter((a) => a.startsWith('CustomResourceDefinition/'))).toHaveLength(crds().length);
    expect(await h.client.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: foreign.metadata.name })).toBeUndefined();
    expect(
      (await h.client.get<KubeObject & { rules: unknown[] }>({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: `qhc-agent-${h.ns}` }))!
        .rules,
    ).toEqual(before!.rules);
  });
});

describe("beyond the agent's own rights", () => {
  it('reports cluster-wide RBAC that is out of date, which it leaves to a re-run of the installation', async () => {
    const name = `qhc-operator-${h.ns}`;
    const role = (await h.client.get<KubeObject & { rules: unknown[] }>({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name }))!;
    await h.client.apply({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules: role.rules.slice(1) } as KubeObject, {
      fieldManager: INSTALLER_FIELD_MANAGER,
      force: true,
    });
    try {
      const result = await applyDesiredState(h.client, h.ns, desired(baseRegion(h.ns)), logger);
      expect(result.installation).toMatchObject({ managedBy: 'agent', upToDate: false });
      expect(result.installation.message).toBe(
        `cluster-wide RBAC out of date (ClusterRole/${name}): the agent does not change it; re-run the installation command as cluster-admin`,
      );
    } finally {
      await h.client.apply({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules: role.rules } as KubeObject, {
        fieldManager: INSTALLER_FIELD_MANAGER,
        force: true,
      });
    }
    expect((await applyDesiredState(h.client, h.ns, desired(baseRegion(h.ns)), logger)).installation).toMatchObject({ upToDate: true });
  });

  it('an installation it may not apply (no rights on ServiceAccounts) is reported, naming the object and the fix, and the clusters are still applied', async () => {
    // An agent installed with narrower RBAC: the agent's rules but for ServiceAccounts, and its cluster-wide rules.
    const narrow = 'narrow-agent';
    const own = (await h.client.get<KubeObject & { rules: Array<{ resources: string[] }> }>({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      namespace: h.ns,
      name: 'qhc-agent',
    }))!;
    const rules = own.rules.map((r) => ({ ...r, resources: r.resources.filter((x) => x !== 'serviceaccounts') })).filter((r) => r.resources.length > 0);
    const subjects = [{ kind: 'ServiceAccount', name: narrow, namespace: h.ns }];
    const objects: KubeObject[] = [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: narrow, namespace: h.ns } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: narrow, namespace: h.ns }, rules } as KubeObject,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: narrow, namespace: h.ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: narrow },
        subjects,
      } as KubeObject,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: `${narrow}-${h.ns}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `qhc-agent-${h.ns}` },
        subjects,
      } as KubeObject,
    ];
    for (const object of objects) await h.client.apply(object, { fieldManager: 'qhc-agent-installation-test' });
    try {
      const asNarrow = await h.clientAs(narrow);
      const spec = clusterSpecFixture('n1', { version: 'v1.16.2' });
      const changed = { ...baseRegion(h.ns), advanced: { logLevel: { agent: 'DEBUG' as const } } };
      const result = await applyDesiredState(asNarrow, h.ns, desired(changed, { clusters: [{ id: 'n1', spec }] }), logger);
      expect(result.installation).toMatchObject({ upToDate: false });
      expect(result.installation.message).toMatch(/^installation not applied: ServiceAccount\/qhc-operator: .*forbidden.*re-run the installation command/is);
      expect(result.applied).toContain('QdrantCluster/qdrant-n1');
      expect(await h.client.get({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster', namespace: h.ns, name: clusterResourceName('n1') })).toBeDefined();
    } finally {
      await h.client.delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: `${narrow}-${h.ns}` });
      await h.client.delete({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster', namespace: h.ns, name: clusterResourceName('n1') });
    }
  });
});

const helmNs = () => `${h.ns}-helm`;

describe('a region installed with Helm', () => {
  afterAll(async () => {
    await h.client.delete({ apiVersion: 'v1', kind: 'Namespace', name: helmNs() }).catch(() => undefined);
  });

  it('is left to Helm but for the CRDs: nothing of the release changes, the region says it is out of date and how to upgrade, clusters still apply', async () => {
    await h.client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: helmNs() } });
    const region = parseRegion(JSON.stringify(baseRegion(helmNs())));
    // As the chart renders it: Helm as the manager, the control plane's fingerprint in the values.
    const objects = buildInstallation(region, { controlPlaneUrl: 'https://qhc.example.com', bootstrapToken: 'qhc_b_helm' })
      .filter((o) => o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition' && !o.kind.startsWith('Cluster'))
      .map((o) => {
        const copy = structuredClone(o);
        copy.metadata.labels = { ...copy.metadata.labels, 'app.kubernetes.io/managed-by': 'Helm' };
        // The chart stamps values.installationHash on the settings ConfigMap, as the builder does.
        if (copy.kind === 'ConfigMap')
          expect(copy.metadata.annotations?.[INSTALLATION_HASH_ANNOTATION] ?? installationHash(region)).toBe(installationHash(region));
        return copy;
      });
    for (const object of objects) await h.client.apply(object, { fieldManager: 'helm' });

    const current = await applyDesiredState(h.client, helmNs(), desired(baseRegion(helmNs())), logger);
    expect(current.installation).toMatchObject({ managedBy: 'Helm', upToDate: true });

    const before = await h.templates(helmNs());
    const changed = { ...baseRegion(helmNs()), advanced: { logLevel: { operator: 'DEBUG' as const } } };
    const spec = clusterSpecFixture('h1', { version: 'v1.16.2' });
    const result = await applyDesiredState(h.client, helmNs(), desired(changed, { clusters: [{ id: 'h1', spec }] }), logger);
    expect(result.installation).toMatchObject({
      managedBy: 'Helm',
      upToDate: false,
      installedHash: installationHash(region),
      desiredHash: installationHash(parseRegion(JSON.stringify(changed))),
    });
    expect(result.installation.message).toMatch(
      /^installed by Helm, out of date: run `helm upgrade qhc oci:\/\/ghcr\.io\/qhc-dev\/charts\/qhc --version 0\.1\.0 --namespace .*-helm -f values\.yaml`/,
    );
    // The CRDs (Helm installs crds/ once, never upgrades them) and the cluster; nothing of Helm's release.
    expect(result.applied.filter((a) => !a.startsWith('CustomResourceDefinition/'))).toEqual(['QdrantCluster/qdrant-h1']);
    expect([...result.applied, ...result.unchanged].filter((a) => a.startsWith('CustomResourceDefinition/'))).toHaveLength(7);
    expect(result.unchanged.filter((a) => !a.startsWith('CustomResourceDefinition/'))).toEqual([]);
    expect(await h.templates(helmNs())).toEqual(before);
    expect(env(await h.deployment('qhc-operator', helmNs())).QHC_LOG_LEVEL).toBe('INFO');
  });

  it('outside any installation (no qhc-agent Deployment) the agent changes nothing of it', async () => {
    const bare = `${h.ns}-bare`;
    await h.client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: bare } });
    try {
      const result = await applyDesiredState(h.client, bare, desired(baseRegion(bare)), logger);
      expect(result.installation.managedBy).toBe('none');
      expect(result.applied).toEqual([]);
      expect(await h.client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: bare, name: 'qhc-operator-settings' })).toBeUndefined();
    } finally {
      await h.client.delete({ apiVersion: 'v1', kind: 'Namespace', name: bare });
    }
  });
});

// Every region field the control plane stores reaches its object in the region, through the
// agent's server-side apply of buildRegionObjects, on the real kube-apiserver; components a
// change does not concern keep their pod template (no restart); new CRDs are served before
// the operator's Deployment changes; a Helm installation is reported, never changed.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createLoopbackTls, waitFor } from '@qhc/kube-sandbox';
import { createKubeClient, createLogger, Informer, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { buildInstallation, INSTALLATION_HASH_ANNOTATION, INSTALLER_FIELD_MANAGER, installationHash, type KubeObject as ManifestObject } from '@qhc/manifests';
import { allKinds, buildCrd, parseRegion, type RegionInput } from '@qhc/schemas';
import { applyDesiredState, type DesiredState } from '../src/index.ts';

const sandbox = useSandboxNamespace('agent-installation');
const logger = createLogger({ level: 'error' });
let client: KubeClient;
let ns = '';
const cas: string[] = [];
const COMPONENTS = ['qhc-operator', 'qhc-cluster-manager', 'qhc-agent'] as const;
const crds = () => allKinds.map((kind) => buildCrd(kind) as unknown as ManifestObject);

type Container = { name: string; image: string; env?: Array<{ name: string; value?: string }>; volumeMounts?: Array<{ name: string; mountPath: string }> };
type Deployment = KubeObject & {
  metadata: { generation?: number; resourceVersion?: string };
  spec: {
    template: {
      metadata: { annotations?: Record<string, string> };
      spec: { containers: Container[]; volumes?: Array<{ name: string }>; nodeSelector?: Record<string, string>; tolerations?: unknown[] };
    };
  };
};

const baseRegion = (namespace: string): RegionInput => ({ name: 'r1', namespace, agentVersion: '0.1.0', operatorVersion: '0.1.0' });
let revision = 10;
const desired = (region: RegionInput, extra: Partial<DesiredState> = {}): DesiredState => ({
  revision: revision++,
  region: parseRegion(JSON.stringify(region)),
  clusters: [],
  deletions: [],
  crds: crds(),
  ...extra,
});

const deployment = async (name: string, namespace = ns) => (await client.get<Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name }))!;
const env = (d: Deployment) => Object.fromEntries((d.spec.template.spec.containers[0]!.env ?? []).map((e) => [e.name, e.value]));
const get = <T extends KubeObject>(kind: string, name: string, apiVersion = 'v1') =>
  client.get<T & { data?: Record<string, string> }>({ apiVersion, kind, namespace: ns, name });

/** Each component's generation and pod template: a changed template is a restart. */
async function templates(namespace = ns): Promise<Record<string, { generation: number; template: string }>> {
  const out: Record<string, { generation: number; template: string }> = {};
  for (const name of COMPONENTS) {
    const d = await deployment(name, namespace);
    out[name] = { generation: d.metadata.generation!, template: JSON.stringify(d.spec.template) };
  }
  return out;
}

/** Applies `state` and returns which components' pod templates changed. */
async function restartedBy(state: DesiredState): Promise<string[]> {
  const before = await templates();
  await applyDesiredState(client, ns, state, logger);
  const after = await templates();
  const changed = COMPONENTS.filter((name) => after[name]!.template !== before[name]!.template);
  // The generation moves with the template and only with it.
  for (const name of COMPONENTS) expect(after[name]!.generation !== before[name]!.generation, `${name}: generation vs template`).toBe(changed.includes(name));
  return changed;
}

/** What the installation script does: server-side apply of every object under the installer's field manager. */
async function install(objects: KubeObject[]): Promise<void> {
  for (const object of objects) if (object.kind !== 'Namespace') await client.apply(object, { fieldManager: INSTALLER_FIELD_MANAGER, force: true });
}

beforeAll(async () => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-agent-installation-test' });
  ns = sandbox.namespace;
  const work = mkdtempSync(join(tmpdir(), 'qhc-agent-installation-'));
  cas.push((await createLoopbackTls(join(work, 'a'), 'ca-one')).ca, (await createLoopbackTls(join(work, 'b'), 'ca-two')).ca);
  await install(
    buildInstallation(parseRegion(JSON.stringify(baseRegion(ns))), { controlPlaneUrl: 'https://qhc.example.com', bootstrapToken: 'qhc_b_installation-test' }),
  );
  await waitFor('QdrantCluster served', () => client.list({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster' }, { namespace: ns }).then(() => true));
}, 120_000);

describe('the agent applies every region field to the installation', () => {
  it('adds and removes the proxy on all three components', async () => {
    const proxied = { ...baseRegion(ns), advanced: { proxy: { httpsProxy: 'http://proxy.internal:3128', noProxy: ['.corp'] } } };
    expect(await restartedBy(desired(proxied))).toEqual([...COMPONENTS]);
    for (const name of COMPONENTS)
      expect(env(await deployment(name))).toMatchObject({
        HTTPS_PROXY: 'http://proxy.internal:3128',
        NO_PROXY: '.corp,kubernetes.default.svc,.svc,.cluster.local,10.0.0.0/8',
      });
    const policy = await get<KubeObject & { spec: { egress: Array<{ ports: Array<{ port: number }> }> } }>(
      'NetworkPolicy',
      'qhc-agent',
      'networking.k8s.io/v1',
    );
    expect(policy!.spec.egress[1]!.ports.map((p) => p.port)).toEqual([443, 6443, 3128]);

    // Removed from the region: removed from the objects (server-side apply drops the installer's field).
    expect(await restartedBy(desired(baseRegion(ns)))).toEqual([...COMPONENTS]);
    for (const name of COMPONENTS) {
      expect(env(await deployment(name))).not.toHaveProperty('HTTPS_PROXY');
      expect(env(await deployment(name))).not.toHaveProperty('NO_PROXY');
    }
    const after = await get<KubeObject & { spec: { egress: Array<{ ports: Array<{ port: number }> }> } }>('NetworkPolicy', 'qhc-agent', 'networking.k8s.io/v1');
    expect(after!.spec.egress[1]!.ports.map((p) => p.port)).toEqual([443, 6443]);
  });

  it('puts a CA into its ConfigMap, mounts it with NODE_EXTRA_CA_CERTS, and restarts the components when it changes', async () => {
    const withCa = (ca: string) => ({ ...baseRegion(ns), advanced: { caCertificate: ca } });
    expect(await restartedBy(desired(withCa(cas[0]!)))).toEqual([...COMPONENTS]);
    expect((await get('ConfigMap', 'qhc-ca-bundle'))!.data).toEqual({ 'ca.crt': cas[0] });
    for (const name of COMPONENTS) {
      const d = await deployment(name);
      expect(env(d).NODE_EXTRA_CA_CERTS).toBe('/etc/qhc/ca/ca.crt');
      expect(d.spec.template.spec.containers[0]!.volumeMounts).toContainEqual(expect.objectContaining({ name: 'ca-bundle', mountPath: '/etc/qhc/ca' }));
    }
    // Only the certificate changes: the ConfigMap, and (through the checksum) every pod, which reads it at start.
    expect(await restartedBy(desired(withCa(cas[1]!)))).toEqual([...COMPONENTS]);
    expect((await get('ConfigMap', 'qhc-ca-bundle'))!.data).toEqual({ 'ca.crt': cas[1] });
    // The same CA again: nothing at all.
    expect(await restartedBy(desired(withCa(cas[1]!)))).toEqual([]);
    expect(await restartedBy(desired(baseRegion(ns)))).toEqual([...COMPONENTS]);
    expect(env(await deployment('qhc-operator'))).not.toHaveProperty('NODE_EXTRA_CA_CERTS');
  });

  it('fills the pull Secret from the registry credentials and restarts nothing', async () => {
    const region = { ...baseRegion(ns), advanced: { containerRegistryUrl: 'https://registry.internal:5000/qhc/' } };
    // The registry moves: every image moves with it.
    expect(await restartedBy(desired(region))).toEqual([...COMPONENTS]);
    expect((await deployment('qhc-operator')).spec.template.spec.containers[0]!.image).toBe('registry.internal:5000/qhc/qhc-operator:0.1.0');
    expect(await restartedBy(desired(region, { registryCredentials: { username: 'puller', password: 's3cret' } }))).toEqual([]);
    const secret = await get('Secret', 'qhc-registry-creds');
    expect(secret!.type).toBe('kubernetes.io/dockerconfigjson');
    const config = JSON.parse(Buffer.from(secret!.data!['.dockerconfigjson']!, 'base64').toString()) as { auths: Record<string, { auth: string }> };
    expect(config.auths).toEqual({ 'registry.internal:5000': { auth: Buffer.from('puller:s3cret').toString('base64') } });
    // No credentials stored (a region made before they were, its Secret filled by hand): the agent
    // leaves the pull Secret as it is rather than force an empty `auths` over it.
    const result = await applyDesiredState(client, ns, desired(region), logger);
    expect(result.applied).not.toContain('Secret/qhc-registry-creds');
    expect(JSON.parse(Buffer.from((await get('Secret', 'qhc-registry-creds'))!.data!['.dockerconfigjson']!, 'base64').toString()).auths).toEqual({
      'registry.internal:5000': { auth: Buffer.from('puller:s3cret').toString('base64') },
    });
    await applyDesiredState(client, ns, desired(baseRegion(ns)), logger);
  });

  it('changes a log level on its component only, and the settings without restarting anything', async () => {
    expect(await restartedBy(desired({ ...baseRegion(ns), advanced: { logLevel: { operator: 'DEBUG' } } }))).toEqual(['qhc-operator']);
    expect(env(await deployment('qhc-operator')).QHC_LOG_LEVEL).toBe('DEBUG');
    expect(await restartedBy(desired({ ...baseRegion(ns), advanced: { logLevel: { operator: 'DEBUG', agent: 'WARN' } } }))).toEqual(['qhc-agent']);
    expect(env(await deployment('qhc-agent')).QHC_LOG_LEVEL).toBe('WARN');

    const settings = { ...baseRegion(ns), operatorSettings: { settings: { backupTimeout: 1234 } } };
    expect(await restartedBy(desired(settings))).toEqual(['qhc-operator', 'qhc-agent']);
    expect((await get('ConfigMap', 'qhc-operator-settings'))!.data!['operator-settings.yaml']).toContain('backupTimeout: 1234');
    expect(await restartedBy(desired({ ...settings, operatorSettings: { settings: { backupTimeout: 99 } } }))).toEqual([]);
    expect((await get('ConfigMap', 'qhc-operator-settings'))!.data!['operator-settings.yaml']).toContain('backupTimeout: 99');
  });

  it('places the operator and the agent by the region, the cluster manager by its settings', async () => {
    const toleration = { key: 'infra', operator: 'Exists' as const, effect: 'NoSchedule' as const };
    const placed = { ...baseRegion(ns), advanced: { nodeSelector: { 'node-role.kubernetes.io/infra': '' }, tolerations: [toleration] } };
    expect(await restartedBy(desired(placed))).toEqual(['qhc-operator', 'qhc-agent']);
    for (const name of ['qhc-operator', 'qhc-agent']) {
      expect((await deployment(name)).spec.template.spec).toMatchObject({ nodeSelector: { 'node-role.kubernetes.io/infra': '' }, tolerations: [toleration] });
    }
    expect((await deployment('qhc-cluster-manager')).spec.template.spec.nodeSelector).toBeUndefined();
    const manager = { ...placed, operatorSettings: { settings: { clusterManager: { node_selector: { pool: 'managers' } } } } };
    expect(await restartedBy(desired(manager))).toEqual(['qhc-cluster-manager']);
    expect((await deployment('qhc-cluster-manager')).spec.template.spec.nodeSelector).toEqual({ pool: 'managers' });
    // Nothing left to change: an idempotent apply.
    expect(await restartedBy(desired(manager))).toEqual([]);
    expect(await restartedBy(desired(baseRegion(ns)))).toEqual([...COMPONENTS]);
  });
});

describe('an operator upgrade', () => {
  it('applies the new CRDs, served, before the operator Deployment changes', async () => {
    // A CRD field the new version adds.
    const next = crds().map((crd) => {
      if (crd.metadata.name !== 'qdrantclusterscheduledsnapshots.qdrant.io') return crd;
      const copy = structuredClone(crd) as ManifestObject & {
        spec: { versions: Array<{ schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } } }> };
      };
      copy.spec.versions[0]!.schema.openAPIV3Schema.properties.spec.properties.addedInNextRelease = { type: 'string' };
      return copy;
    });
    // Both kinds' events as the apiserver writes them. resourceVersion here is etcd's global
    // revision (one counter for every key): it orders writes across kinds, which is the evidence.
    const seen: Array<{ what: string; rv: bigint }> = [];
    type Crd = KubeObject & {
      metadata: { resourceVersion?: string };
      spec: { versions: Array<{ schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } } }> };
      status?: { conditions?: Array<{ type: string; status: string }> };
    };
    const crdInformer = new Informer<Crd>(client, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      fieldSelector: 'metadata.name=qdrantclusterscheduledsnapshots.qdrant.io',
    }).on({
      update: (crd) => {
        const served = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
        if (served && crd.spec.versions[0]!.schema.openAPIV3Schema.properties.spec.properties.addedInNextRelease)
          seen.push({ what: 'crd', rv: BigInt(crd.metadata.resourceVersion!) });
      },
    });
    const deploymentInformer = new Informer<Deployment>(client, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: ns,
      fieldSelector: 'metadata.name=qhc-operator',
    }).on({
      update: (d) => {
        if (d.spec.template.spec.containers[0]!.image.endsWith(':0.2.0')) seen.push({ what: 'operator', rv: BigInt(d.metadata.resourceVersion!) });
      },
    });
    crdInformer.start();
    deploymentInformer.start();
    try {
      await Promise.all([crdInformer.waitForSync(), deploymentInformer.waitForSync()]);
      const upgrade = desired({ ...baseRegion(ns), operatorVersion: '0.2.0' }, { crds: next });
      const result = await applyDesiredState(client, ns, upgrade, logger);
      const order = result.applied.map((a) => a.split('/')[0]);
      expect(order.lastIndexOf('CustomResourceDefinition')).toBeLessThan(order.indexOf('Deployment'));
      expect(result.applied.at(-1)).toBe('Deployment/qhc-agent');
      await waitFor('both writes observed', async () => (seen.some((s) => s.what === 'crd') && seen.some((s) => s.what === 'operator') ? true : undefined));
      const crdAt = seen.find((s) => s.what === 'crd')!.rv;
      const operatorAt = seen.find((s) => s.what === 'operator')!.rv;
      expect(crdAt < operatorAt, `CRD served at ${crdAt}, operator changed at ${operatorAt}`).toBe(true);
    } finally {
      await Promise.all([crdInformer.stop(), deploymentInformer.stop()]);
    }
    // The field is served: a dry-run create keeps it rather than pruning it.
    const dry = await client.apply(
      {
        apiVersion: 'qdrant.io/v1',
        kind: 'QdrantClusterScheduledSnapshot',
        metadata: { name: 'served-check', namespace: ns },
        spec: { 'cluster-id': 'x', scheduleShortId: 'x1', schedule: '0 2 * * *', retention: '72h', addedInNextRelease: 'yes' },
      } as KubeObject,
      { dryRun: true },
    );
    expect((dry as KubeObject & { spec: Record<string, unknown> }).spec.addedInNextRelease).toBe('yes');
    // A desired state without CRDs (an older control plane) leaves them as they are.
    await applyDesiredState(client, ns, desired({ ...baseRegion(ns), operatorVersion: '0.2.0' }, { crds: [] }), logger);
    const kept = await client.get<
      KubeObject & { spec: { versions: Array<{ schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } } }> } }
    >({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'qdrantclusterscheduledsnapshots.qdrant.io' });
    expect(kept!.spec.versions[0]!.schema.openAPIV3Schema.properties.spec.properties).toHaveProperty('addedInNextRelease');
    // Back to the release's own CRDs for the other tests of this sandbox.
    await applyDesiredState(client, ns, desired(baseRegion(ns)), logger);
  });
});

/** A client authorized as ServiceAccount `name` of the sandbox namespace (a TokenRequest token in a kubeconfig of its own). */
async function clientAs(name: string): Promise<KubeClient> {
  const request = await client.transport.request<{ status: { token: string } }>('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`, {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } },
    contentType: 'application/json',
  });
  const config = parse(readFileSync(sandbox.kubeconfigPath, 'utf8')) as { users: Array<{ name: string; user: Record<string, unknown> }> };
  for (const u of config.users) u.user = { token: request.body.status.token };
  const path = join(mkdtempSync(join(tmpdir(), 'qhc-agent-sa-')), 'kubeconfig');
  writeFileSync(path, stringify(config));
  return createKubeClient(loadKubeConfig({ kubeconfigPath: path }), { fieldManager: 'qhc-agent' });
}

describe("with the agent's own rights", () => {
  it('its ServiceAccount may apply every installation object but cluster-scoped RBAC, CRDs and namespaced RBAC included', async () => {
    // The apiserver authorizes every call as the agent in a pod would be.
    const asAgent = await clientAs('qhc-agent');
    // Not vacuous: the apiserver enforces RBAC on this identity.
    await expect(asAgent.list({ apiVersion: 'v1', kind: 'Secret' }, { namespace: 'kube-system' })).rejects.toThrow(/forbidden/i);
    const changed = { ...baseRegion(ns), advanced: { proxy: { httpsProxy: 'http://proxy.internal:3128' }, logLevel: { agent: 'DEBUG' as const } } };
    const result = await applyDesiredState(asAgent, ns, desired(changed, { registryCredentials: { username: 'u', password: 'p' } }), logger);
    expect(result.installation).toMatchObject({ managedBy: 'agent', upToDate: true });
    expect(result.applied).toEqual(
      expect.arrayContaining(['CustomResourceDefinition/qdrantclusters.qdrant.io', 'Role/qhc-operator', 'RoleBinding/qhc-agent', 'Deployment/qhc-agent']),
    );
    // ClusterRoles and their bindings come from re-running the installation as cluster-admin.
    expect(result.applied.filter((a) => a.startsWith('Cluster'))).toEqual([]);
    expect(env(await deployment('qhc-agent')).QHC_LOG_LEVEL).toBe('DEBUG');
    await applyDesiredState(client, ns, desired(baseRegion(ns)), logger);
  });

  it("applies from the desired state's crds only qdrant.io CustomResourceDefinitions: never a ClusterRole, nor another group's CRD", async () => {
    const admin = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: `qhc-agent-${ns}` },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    };
    const foreign = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${ns}.example.com` },
      spec: {
        group: `${ns}.example.com`,
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
      },
    };
    const before = await client.get<KubeObject & { rules: unknown[] }>({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      name: `qhc-agent-${ns}`,
    });
    const result = await applyDesiredState(client, ns, desired(baseRegion(ns), { crds: [...crds(), admin, foreign] as ManifestObject[] }), logger);
    expect(result.applied).not.toContain(`ClusterRole/qhc-agent-${ns}`);
    expect(result.applied).not.toContain(`CustomResourceDefinition/${foreign.metadata.name}`);
    expect(result.applied.filter((a) => a.startsWith('CustomResourceDefinition/'))).toHaveLength(crds().length);
    expect(await client.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: foreign.metadata.name })).toBeUndefined();
    expect(
      (await client.get<KubeObject & { rules: unknown[] }>({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: `qhc-agent-${ns}` }))!
        .rules,
    ).toEqual(before!.rules);
  });

  it('reports cluster-wide RBAC that is out of date, which it leaves to a re-run of the installation', async () => {
    const name = `qhc-operator-${ns}`;
    const role = (await client.get<KubeObject & { rules: unknown[] }>({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name }))!;
    await client.apply({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules: role.rules.slice(1) } as KubeObject, {
      fieldManager: INSTALLER_FIELD_MANAGER,
      force: true,
    });
    try {
      const result = await applyDesiredState(client, ns, desired(baseRegion(ns)), logger);
      expect(result.installation).toMatchObject({ managedBy: 'agent', upToDate: false });
      expect(result.installation.message).toBe(
        `cluster-wide RBAC out of date (ClusterRole/${name}): the agent does not change it; re-run the installation command as cluster-admin`,
      );
    } finally {
      await client.apply({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules: role.rules } as KubeObject, {
        fieldManager: INSTALLER_FIELD_MANAGER,
        force: true,
      });
    }
    expect((await applyDesiredState(client, ns, desired(baseRegion(ns)), logger)).installation).toMatchObject({ upToDate: true });
  });

  it('an installation it may not apply (no rights on ServiceAccounts) is reported, naming the object and the fix, and the clusters are still applied', async () => {
    // An agent installed with narrower RBAC: the agent's rules but for ServiceAccounts, and its cluster-wide rules.
    const narrow = 'narrow-agent';
    const own = (await client.get<KubeObject & { rules: Array<{ resources: string[] }> }>({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      namespace: ns,
      name: 'qhc-agent',
    }))!;
    const rules = own.rules.map((r) => ({ ...r, resources: r.resources.filter((x) => x !== 'serviceaccounts') })).filter((r) => r.resources.length > 0);
    const subjects = [{ kind: 'ServiceAccount', name: narrow, namespace: ns }];
    const objects: KubeObject[] = [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: narrow, namespace: ns } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: narrow, namespace: ns }, rules } as KubeObject,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: narrow, namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: narrow },
        subjects,
      } as KubeObject,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: `${narrow}-${ns}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `qhc-agent-${ns}` },
        subjects,
      } as KubeObject,
    ];
    for (const object of objects) await client.apply(object, { fieldManager: 'qhc-agent-installation-test' });
    try {
      const asNarrow = await clientAs(narrow);
      const spec = { id: 'n1', version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };
      const changed = { ...baseRegion(ns), advanced: { logLevel: { agent: 'DEBUG' as const } } };
      const result = await applyDesiredState(asNarrow, ns, desired(changed, { clusters: [{ id: 'n1', spec }] }), logger);
      expect(result.installation).toMatchObject({ upToDate: false });
      expect(result.installation.message).toMatch(/^installation not applied: ServiceAccount\/qhc-operator: .*forbidden.*re-run the installation command/is);
      expect(result.applied).toContain('QdrantCluster/qdrant-n1');
      expect(await client.get({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', namespace: ns, name: 'qdrant-n1' })).toBeDefined();
    } finally {
      await client.delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: `${narrow}-${ns}` });
      await client.delete({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', namespace: ns, name: 'qdrant-n1' });
    }
  });
});

const helmNs = () => `${ns}-helm`;

describe('a region installed with Helm', () => {
  afterAll(async () => {
    await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: helmNs() }).catch(() => undefined);
  });

  it('is left to Helm but for the CRDs: nothing of the release changes, the region says it is out of date and how to upgrade, clusters still apply', async () => {
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: helmNs() } });
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
    for (const object of objects) await client.apply(object, { fieldManager: 'helm' });

    const current = await applyDesiredState(client, helmNs(), desired(baseRegion(helmNs())), logger);
    expect(current.installation).toMatchObject({ managedBy: 'Helm', upToDate: true });

    const before = await templates(helmNs());
    const changed = { ...baseRegion(helmNs()), advanced: { logLevel: { operator: 'DEBUG' as const } } };
    const spec = { id: 'h1', version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };
    const result = await applyDesiredState(client, helmNs(), desired(changed, { clusters: [{ id: 'h1', spec }] }), logger);
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
    expect(result.applied.filter((a) => a.startsWith('CustomResourceDefinition/'))).toHaveLength(7);
    expect(await templates(helmNs())).toEqual(before);
    expect(env(await deployment('qhc-operator', helmNs())).QHC_LOG_LEVEL).toBe('INFO');
  });

  it('outside any installation (no qhc-agent Deployment) the agent changes nothing of it', async () => {
    const bare = `${ns}-bare`;
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: bare } });
    try {
      const result = await applyDesiredState(client, bare, desired(baseRegion(bare)), logger);
      expect(result.installation.managedBy).toBe('none');
      expect(result.applied).toEqual([]);
      expect(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: bare, name: 'qhc-operator-settings' })).toBeUndefined();
    } finally {
      await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: bare });
    }
  });
});

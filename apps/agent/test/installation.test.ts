// Every region field the control plane stores reaches its object in the region, through the
// agent's server-side apply of buildRegionObjects, on the real kube-apiserver; components a
// change does not concern keep their pod template (no restart); new CRDs are served before
// the operator's Deployment changes. Helm and the agent's own rights: installation-rights.test.ts.
import { describe, expect, it } from 'vitest';
import { waitFor } from '@qhc/kube-sandbox';
import { Informer, type KubeClient, type KubeObject } from '@qhc/kube';
import { QDRANT_API_VERSION } from '@qhc/schemas';
import { scheduledSnapshotFixture } from '@qhc/schemas/test';
import { applyDesiredState } from '../src/index.ts';
import { COMPONENTS, baseRegion, crds, desired, env, logger, useInstallation, type Deployment } from './support/installation.ts';

const h = useInstallation('agent-installation');

describe('the agent applies every region field to the installation: proxy, CA, registry', () => {
  it('adds and removes the proxy on all three components', async () => {
    const proxied = { ...baseRegion(h.ns), advanced: { proxy: { httpsProxy: 'http://proxy.internal:3128', noProxy: ['.corp'] } } };
    expect(await h.restartedBy(desired(proxied))).toEqual([...COMPONENTS]);
    for (const name of COMPONENTS)
      expect(env(await h.deployment(name))).toMatchObject({
        HTTPS_PROXY: 'http://proxy.internal:3128',
        NO_PROXY: '.corp,kubernetes.default.svc,.svc,.cluster.local,10.0.0.0/8',
      });
    const policy = await h.get<KubeObject & { spec: { egress: Array<{ ports: Array<{ port: number }> }> } }>(
      'NetworkPolicy',
      'qhc-agent',
      'networking.k8s.io/v1',
    );
    expect(policy!.spec.egress[1]!.ports.map((p) => p.port)).toEqual([443, 6443, 3128]);

    // Removed from the region: removed from the objects (server-side apply drops the installer's field).
    expect(await h.restartedBy(desired(baseRegion(h.ns)))).toEqual([...COMPONENTS]);
    for (const name of COMPONENTS) {
      expect(env(await h.deployment(name))).not.toHaveProperty('HTTPS_PROXY');
      expect(env(await h.deployment(name))).not.toHaveProperty('NO_PROXY');
    }
    const after = await h.get<KubeObject & { spec: { egress: Array<{ ports: Array<{ port: number }> }> } }>(
      'NetworkPolicy',
      'qhc-agent',
      'networking.k8s.io/v1',
    );
    expect(after!.spec.egress[1]!.ports.map((p) => p.port)).toEqual([443, 6443]);
  });

  it('puts a CA into its ConfigMap, mounts it with NODE_EXTRA_CA_CERTS, and restarts the components when it changes', async () => {
    const withCa = (ca: string) => ({ ...baseRegion(h.ns), advanced: { caCertificate: ca } });
    expect(await h.restartedBy(desired(withCa(h.cas[0]!)))).toEqual([...COMPONENTS]);
    expect((await h.get('ConfigMap', 'qhc-ca-bundle'))!.data).toEqual({ 'ca.crt': h.cas[0] });
    for (const name of COMPONENTS) {
      const d = await h.deployment(name);
      expect(env(d).NODE_EXTRA_CA_CERTS).toBe('/etc/qhc/ca/ca.crt');
      expect(d.spec.template.spec.containers[0]!.volumeMounts).toContainEqual(expect.objectContaining({ name: 'ca-bundle', mountPath: '/etc/qhc/ca' }));
    }
    // Only the certificate changes: the ConfigMap, and (through the checksum) every pod, which reads it at start.
    expect(await h.restartedBy(desired(withCa(h.cas[1]!)))).toEqual([...COMPONENTS]);
    expect((await h.get('ConfigMap', 'qhc-ca-bundle'))!.data).toEqual({ 'ca.crt': h.cas[1] });
    // The same CA again: nothing at all.
    expect(await h.restartedBy(desired(withCa(h.cas[1]!)))).toEqual([]);
    expect(await h.restartedBy(desired(baseRegion(h.ns)))).toEqual([...COMPONENTS]);
    expect(env(await h.deployment('qhc-operator'))).not.toHaveProperty('NODE_EXTRA_CA_CERTS');
  });

  it('fills the pull Secret from the registry credentials and restarts nothing', async () => {
    const region = { ...baseRegion(h.ns), advanced: { containerRegistryUrl: 'https://registry.internal:5000/qhc/' } };
    // The registry moves: every image moves with it.
    expect(await h.restartedBy(desired(region))).toEqual([...COMPONENTS]);
    expect((await h.deployment('qhc-operator')).spec.template.spec.containers[0]!.image).toBe('registry.internal:5000/qhc/qhc-operator:0.1.0');
    expect(await h.restartedBy(desired(region, { registryCredentials: { username: 'puller', password: 's3cret' } }))).toEqual([]);
    const secret = await h.get('Secret', 'qhc-registry-creds');
    expect(secret!.type).toBe('kubernetes.io/dockerconfigjson');
    const config = JSON.parse(Buffer.from(secret!.data!['.dockerconfigjson']!, 'base64').toString()) as { auths: Record<string, { auth: string }> };
    expect(config.auths).toEqual({ 'registry.internal:5000': { auth: Buffer.from('puller:s3cret').toString('base64') } });
    // No credentials stored (a region made before they were, its Secret filled by hand): the agent
    // leaves the pull Secret as it is rather than force an empty `auths` over it.
    const result = await applyDesiredState(h.client, h.ns, desired(region), logger);
    expect(result.applied).not.toContain('Secret/qhc-registry-creds');
    expect(JSON.parse(Buffer.from((await h.get('Secret', 'qhc-registry-creds'))!.data!['.dockerconfigjson']!, 'base64').toString()).auths).toEqual({
      'registry.internal:5000': { auth: Buffer.from('puller:s3cret').toString('base64') },
    });
    await applyDesiredState(h.client, h.ns, desired(baseRegion(h.ns)), logger);
  });
});

describe('the agent applies every region field to the installation: levels, settings, placement', () => {
  it('changes a log level on its component only, and the settings without restarting anything', async () => {
    expect(await h.restartedBy(desired({ ...baseRegion(h.ns), advanced: { logLevel: { operator: 'DEBUG' } } }))).toEqual(['qhc-operator']);
    expect(env(await h.deployment('qhc-operator')).QHC_LOG_LEVEL).toBe('DEBUG');
    expect(await h.restartedBy(desired({ ...baseRegion(h.ns), advanced: { logLevel: { operator: 'DEBUG', agent: 'WARN' } } }))).toEqual(['qhc-agent']);
    expect(env(await h.deployment('qhc-agent')).QHC_LOG_LEVEL).toBe('WARN');

    const settings = { ...baseRegion(h.ns), operatorSettings: { settings: { backupTimeout: 1234 } } };
    expect(await h.restartedBy(desired(settings))).toEqual(['qhc-operator', 'qhc-agent']);
    expect((await h.get('ConfigMap', 'qhc-operator-settings'))!.data!['operator-settings.yaml']).toContain('backupTimeout: 1234');
    expect(await h.restartedBy(desired({ ...settings, operatorSettings: { settings: { backupTimeout: 99 } } }))).toEqual([]);
    expect((await h.get('ConfigMap', 'qhc-operator-settings'))!.data!['operator-settings.yaml']).toContain('backupTimeout: 99');
  });

  it('places the operator and the agent by the region, the cluster manager by its settings', async () => {
    const toleration = { key: 'infra', operator: 'Exists' as const, effect: 'NoSchedule' as const };
    const placed = { ...baseRegion(h.ns), advanced: { nodeSelector: { 'node-role.kubernetes.io/infra': '' }, tolerations: [toleration] } };
    expect(await h.restartedBy(desired(placed))).toEqual(['qhc-operator', 'qhc-agent']);
    for (const name of ['qhc-operator', 'qhc-agent']) {
      expect((await h.deployment(name)).spec.template.spec).toMatchObject({ nodeSelector: { 'node-role.kubernetes.io/infra': '' }, tolerations: [toleration] });
    }
    expect((await h.deployment('qhc-cluster-manager')).spec.template.spec.nodeSelector).toBeUndefined();
    const manager = { ...placed, operatorSettings: { settings: { clusterManager: { node_selector: { pool: 'managers' } } } } };
    expect(await h.restartedBy(desired(manager))).toEqual(['qhc-cluster-manager']);
    expect((await h.deployment('qhc-cluster-manager')).spec.template.spec.nodeSelector).toEqual({ pool: 'managers' });
    // Nothing left to change: an idempotent apply.
    expect(await h.restartedBy(desired(manager))).toEqual([]);
    expect(await h.restartedBy(desired(baseRegion(h.ns)))).toEqual([...COMPONENTS]);
  });
});

type CrdSchema = { spec: { versions: Array<{ schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } } }> } };
type Crd = KubeObject & CrdSchema & { metadata: { resourceVersion?: string }; status?: { conditions?: Array<{ type: string; status: string }> } };
const SCHEDULES_CRD = 'qdrantclusterscheduledsnapshots.qdrant.io';
const specFields = (crd: CrdSchema) => crd.spec.versions[0]!.schema.openAPIV3Schema.properties.spec.properties;

/** The release's CRDs with a field the next version adds to the schedules' spec. */
function nextCrds() {
  return crds().map((crd) => {
    if ((crd.metadata as { name: string }).name !== SCHEDULES_CRD) return crd;
    const copy = structuredClone(crd) as unknown as CrdSchema;
    specFields(copy).addedInNextRelease = { type: 'string' };
    return copy;
  });
}

/**
 * Both kinds' events as the apiserver writes them: the new CRD served, the operator's new
 * image. resourceVersion here is etcd's global revision (one counter for every key): it
 * orders writes across kinds, which is the evidence.
 */
function watchUpgrade(client: KubeClient, namespace: string) {
  const seen: Array<{ what: 'crd' | 'operator'; rv: bigint }> = [];
  const crdInformer = new Informer<Crd>(client, {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    fieldSelector: `metadata.name=${SCHEDULES_CRD}`,
  }).on({
    update: (crd) => {
      const served = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
      if (served && specFields(crd).addedInNextRelease) seen.push({ what: 'crd', rv: BigInt(crd.metadata.resourceVersion!) });
    },
  });
  const deploymentInformer = new Informer<Deployment>(client, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace,
    fieldSelector: 'metadata.name=qhc-operator',
  }).on({
    update: (d) => {
      if (d.spec.template.spec.containers[0]!.image.endsWith(':0.2.0')) seen.push({ what: 'operator', rv: BigInt(d.metadata.resourceVersion!) });
    },
  });
  return {
    seen,
    async start() {
      crdInformer.start();
      deploymentInformer.start();
      await Promise.all([crdInformer.waitForSync(), deploymentInformer.waitForSync()]);
    },
    stop: () => Promise.all([crdInformer.stop(), deploymentInformer.stop()]),
  };
}

describe('an operator upgrade', () => {
  it('applies the new CRDs, served, before the operator Deployment changes', async () => {
    const watch = watchUpgrade(h.client, h.ns);
    try {
      await watch.start();
      // A release upgrade: every component's version moves (an unchanged object is not written at all).
      const upgrade = desired({ ...baseRegion(h.ns), operatorVersion: '0.2.0', agentVersion: '0.2.0' }, { crds: nextCrds() });
      const result = await applyDesiredState(h.client, h.ns, upgrade, logger);
      const order = result.applied.map((a) => a.split('/')[0]);
      expect(order.lastIndexOf('CustomResourceDefinition')).toBeLessThan(order.indexOf('Deployment'));
      expect(result.applied.at(-1)).toBe('Deployment/qhc-agent');
      const { seen } = watch;
      await waitFor('both writes observed', async () => (seen.some((s) => s.what === 'crd') && seen.some((s) => s.what === 'operator') ? true : undefined));
      const crdAt = seen.find((s) => s.what === 'crd')!.rv;
      const operatorAt = seen.find((s) => s.what === 'operator')!.rv;
      expect(crdAt < operatorAt, `CRD served at ${crdAt}, operator changed at ${operatorAt}`).toBe(true);
    } finally {
      await watch.stop();
    }
  });

  it('serves the new field, and keeps the CRDs when a desired state carries none (an older control plane)', async () => {
    // The previous test left the next release's CRDs applied.
    const nightly = scheduledSnapshotFixture('served-check', 'x', { scheduleShortId: 'x1', addedInNextRelease: 'yes' }, { namespace: h.ns });
    // The field is served: a dry-run create keeps it rather than pruning it.
    const dry = await h.client.apply({ ...nightly, metadata: { name: 'served-check', namespace: h.ns } } as KubeObject, { dryRun: true });
    expect((dry as KubeObject & { spec: Record<string, unknown> }).spec.addedInNextRelease).toBe('yes');
    await applyDesiredState(h.client, h.ns, desired({ ...baseRegion(h.ns), operatorVersion: '0.2.0' }, { crds: [] }), logger);
    const kept = await h.client.get<Crd>({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: SCHEDULES_CRD });
    expect(specFields(kept!)).toHaveProperty('addedInNextRelease');
    expect(nightly.apiVersion).toBe(QDRANT_API_VERSION);
    // Back to the release's own CRDs for the other tests of this sandbox.
    await applyDesiredState(h.client, h.ns, desired(baseRegion(h.ns)), logger);
  });
});

describe('an answer that changes nothing of the installation', () => {
  it('writes nothing of it; an object someone changed is the only one applied again', async () => {
    // With registry credentials: the pull Secret is sent as stringData, and kept as data.
    const registryCredentials = { username: 'puller', password: 'pull-secret' };
    const answer = () => desired(baseRegion(h.ns), { registryCredentials });
    await applyDesiredState(h.client, h.ns, answer(), logger);
    const sent: string[] = [];
    const original = h.client.apply.bind(h.client);
    h.client.apply = (object, options) => (sent.push(`${object.kind}/${object.metadata.name}`), original(object, options));
    try {
      const again = await applyDesiredState(h.client, h.ns, answer(), logger);
      expect(again.applied).toEqual([]);
      expect(again.unchanged).toEqual(
        expect.arrayContaining(['CustomResourceDefinition/qdrantclusters.qdrant.io', 'Secret/qhc-registry-creds', ...COMPONENTS.map((c) => `Deployment/${c}`)]),
      );
      expect(sent).toEqual([]);
      await h.client.patch(
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: h.ns, name: 'qhc-operator-settings' },
        { data: { 'operator-settings.yaml': 'edited: true\n' } },
      );
      const put = await applyDesiredState(h.client, h.ns, answer(), logger);
      expect(put.applied).toEqual(['ConfigMap/qhc-operator-settings']);
      expect(sent).toEqual(['ConfigMap/qhc-operator-settings']);
      expect((await h.get('ConfigMap', 'qhc-operator-settings'))?.data?.['operator-settings.yaml']).not.toBe('edited: true\n');
    } finally {
      h.client.apply = original;
    }
  });
});

// The installation tests' shared setup: a sandbox namespace with the installation the script
// makes, and the helpers that read its components back.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { beforeAll, expect } from 'vitest';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createLoopbackTls, waitFor } from '@qhc/kube-sandbox';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { buildInstallation, INSTALLER_FIELD_MANAGER } from '@qhc/manifests';
import { DesiredState, QDRANT_API_VERSION, allKinds, buildCrd, parseRegion, type DesiredStateInput, type RegionInput } from '@qhc/schemas';
import { applyDesiredState } from '../../src/index.ts';

export const COMPONENTS = ['qhc-operator', 'qhc-cluster-manager', 'qhc-agent'] as const;
export const logger = createLogger({ level: 'error' });
export const crds = () => allKinds.map((kind) => buildCrd(kind) as unknown as Record<string, unknown>);

type Container = { name: string; image: string; env?: Array<{ name: string; value?: string }>; volumeMounts?: Array<{ name: string; mountPath: string }> };
export type Deployment = KubeObject & {
  metadata: { generation?: number; resourceVersion?: string };
  spec: {
    template: {
      metadata: { annotations?: Record<string, string> };
      spec: { containers: Container[]; volumes?: Array<{ name: string }>; nodeSelector?: Record<string, string>; tolerations?: unknown[] };
    };
  };
};

export const baseRegion = (namespace: string): RegionInput => ({ name: 'r1', namespace, agentVersion: '0.1.0', operatorVersion: '0.1.0' });
let revision = 10;
/** A desired state as the agent receives it (parsed with the contract): the release's CRDs, no clusters. */
export const desired = (region: RegionInput, extra: Partial<DesiredStateInput> = {}): DesiredState =>
  DesiredState.parse({ revision: revision++, region: parseRegion(JSON.stringify(region)), clusters: [], deletions: [], crds: crds(), ...extra });
export const env = (d: Deployment) => Object.fromEntries((d.spec.template.spec.containers[0]!.env ?? []).map((e) => [e.name, e.value]));

export interface InstallationHarness {
  client: KubeClient;
  ns: string;
  cas: string[];
  deployment(name: string, namespace?: string): Promise<Deployment>;
  get<T extends KubeObject>(kind: string, name: string, apiVersion?: string): Promise<(T & { data?: Record<string, string> }) | undefined>;
  templates(namespace?: string): Promise<Record<string, { generation: number; template: string }>>;
  restartedBy(state: DesiredState): Promise<string[]>;
  clientAs(name: string): Promise<KubeClient>;
}

/** A sandbox namespace with an installation in it, and the helpers that read it. */
export function useInstallation(prefix: string): InstallationHarness {
  const sandbox = useSandboxNamespace(prefix);
  const h: InstallationHarness = {
    client: undefined as unknown as KubeClient,
    ns: '',
    /** Two private CAs, for the CA bundle. */
    cas: [],
    deployment: async (name: string, namespace = h.ns) => (await h.client.get<Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name }))!,
    get: <T extends KubeObject>(kind: string, name: string, apiVersion = 'v1') =>
      h.client.get<T & { data?: Record<string, string> }>({ apiVersion, kind, namespace: h.ns, name }),
    /** Each component's generation and pod template: a changed template is a restart. */
    async templates(namespace = h.ns): Promise<Record<string, { generation: number; template: string }>> {
      const out: Record<string, { generation: number; template: string }> = {};
      for (const name of COMPONENTS) {
        const d = await h.deployment(name, namespace);
        out[name] = { generation: d.metadata.generation!, template: JSON.stringify(d.spec.template) };
      }
      return out;
    },
    /** Applies `state` and returns which components' pod templates changed. */
    async restartedBy(state: DesiredState): Promise<string[]> {
      const before = await h.templates();
      await applyDesiredState(h.client, h.ns, state, logger);
      const after = await h.templates();
      const changed = COMPONENTS.filter((name) => after[name]!.template !== before[name]!.template);
      // The generation moves with the template and only with it.
      for (const name of COMPONENTS)
        expect(after[name]!.generation !== before[name]!.generation, `${name}: generation vs template`).toBe(changed.includes(name));
      return changed;
    },
    /** A client authorized as ServiceAccount `name` of the namespace (a TokenRequest token in a kubeconfig of its own). */
    async clientAs(name: string): Promise<KubeClient> {
      const request = await h.client.transport.request<{ status: { token: string } }>('POST', `/api/v1/namespaces/${h.ns}/serviceaccounts/${name}/token`, {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } },
        contentType: 'application/json',
      });
      const config = parse(readFileSync(sandbox.kubeconfigPath, 'utf8')) as { users: Array<{ name: string; user: Record<string, unknown> }> };
      for (const u of config.users) u.user = { token: request.body.status.token };
      const path = join(mkdtempSync(join(tmpdir(), 'qhc-agent-sa-')), 'kubeconfig');
      writeFileSync(path, stringify(config));
      return createKubeClient(loadKubeConfig({ kubeconfigPath: path }), { fieldManager: 'qhc-agent' });
    },
  };

  beforeAll(async () => {
    h.client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-agent-installation-test' });
    h.ns = sandbox.namespace;
    const work = mkdtempSync(join(tmpdir(), 'qhc-agent-installation-'));
    h.cas.push((await createLoopbackTls(join(work, 'a'), 'ca-one')).ca, (await createLoopbackTls(join(work, 'b'), 'ca-two')).ca);
    // What the installation script does: server-side apply of every object under the installer's field manager.
    const objects = buildInstallation(parseRegion(JSON.stringify(baseRegion(h.ns))), {
      controlPlaneUrl: 'https://qhc.example.com',
      bootstrapToken: 'qhc_b_installation-test',
    });
    for (const object of objects) if (object.kind !== 'Namespace') await h.client.apply(object, { fieldManager: INSTALLER_FIELD_MANAGER, force: true });
    await waitFor('QdrantCluster served', () => h.client.list({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, { namespace: h.ns }).then(() => true));
  }, 120_000);
  return h;
}

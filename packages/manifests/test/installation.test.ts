import { describe, expect, it } from 'vitest';
import {
  CA_CHECKSUM_ANNOTATION,
  ManifestError,
  buildInstallation,
  buildRegionObjects,
  renderInstallScript,
  sha256Hex,
  toYaml,
  type KubeObject,
} from '../src/index.ts';
import type { Loose } from './fixtures.ts';
import { CREDENTIALS, TOKEN, region } from './installation-fixtures.ts';

const pem = region().advanced.caCertificate;

const key = (o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`;
const template = (built: ReturnType<typeof buildRegionObjects>, name: string) =>
  JSON.stringify((built.find((o) => o.kind === 'Deployment' && o.metadata.name === name) as Loose).spec.template);
const withCa = (ca: string) => buildRegionObjects({ ...region(), advanced: { ...region().advanced, caCertificate: ca } });
const get = (objects: KubeObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as KubeObject & Loose;

const objects = buildInstallation(region(), CREDENTIALS);

describe('buildInstallation: order, restarts and images', () => {
  it('has the namespace first, then CRDs, identities, settings, secrets, policies and the workloads, the agent last', () => {
    expect(objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'qdrant-hybrid' } });
    expect(objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name)).toContain('qdrantclusters.qdrant.io');
    const kinds = objects.map((o) => o.kind);
    expect(kinds.lastIndexOf('CustomResourceDefinition')).toBeLessThan(kinds.indexOf('ServiceAccount'));
    expect(kinds.indexOf('Deployment')).toBeGreaterThan(kinds.lastIndexOf('Secret'));
    expect(kinds.indexOf('Deployment')).toBeGreaterThan(kinds.lastIndexOf('NetworkPolicy'));
    expect(objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name)).toEqual(['qhc-operator', 'qhc-cluster-manager', 'qhc-agent']);
  });

  it('is buildRegionObjects with the Namespace and the agent credentials: what the agent applies later is what was installed', () => {
    const owned = buildRegionObjects(region(), { registry: CREDENTIALS.registry! });
    expect(objects.filter((o) => o.kind !== 'Namespace' && o.metadata.name !== 'qhc-agent-credentials')).toEqual(owned);
    expect(objects.map(key).filter((k) => !owned.map(key).includes(k))).toEqual(['Namespace/qdrant-hybrid', 'Secret/qhc-agent-credentials']);
    // CRDs only as given: the agent passes the desired state's, none when it carries none.
    expect(buildRegionObjects(region(), { crds: [] }).some((o) => o.kind === 'CustomResourceDefinition')).toBe(false);
  });

  it('restarts a component only when its own inputs change: the CA by a checksum on the pod template', () => {
    const base = buildRegionObjects(region());
    const names = ['qhc-operator', 'qhc-cluster-manager', 'qhc-agent'];
    const changedBy = (next: ReturnType<typeof buildRegionObjects>) => names.filter((n) => template(next, n) !== template(base, n));
    expect(changedBy(buildRegionObjects(region(), { registry: { username: 'a', password: 'b' } }))).toEqual([]);
    expect(
      changedBy(
        buildRegionObjects({
          ...region(),
          operatorSettings: { ...region().operatorSettings, settings: { ...region().operatorSettings.settings, backupTimeout: 7 } },
        }),
      ),
    ).toEqual([]);
    expect(changedBy(buildRegionObjects({ ...region(), advanced: { ...region().advanced, logLevel: { operator: 'INFO', agent: 'WARN' } } }))).toEqual([
      'qhc-operator',
    ]);
    const [a, b] = [
      withCa('-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----\n'),
      withCa('-----BEGIN CERTIFICATE-----\nB\n-----END CERTIFICATE-----\n'),
    ];
    for (const n of names) expect(template(a, n)).not.toBe(template(b, n));
    expect((a.find((o) => o.kind === 'Deployment') as Loose).spec.template.metadata.annotations[CA_CHECKSUM_ANNOTATION]).toBe(
      sha256Hex('-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----\n'),
    );
  });

  it("takes images from the region's registry and versions, with proxy, CA and log level", () => {
    const operator = get(objects, 'Deployment', 'qhc-operator').spec.template.spec;
    const agent = get(objects, 'Deployment', 'qhc-agent').spec.template.spec;
    expect(operator.containers[0].image).toBe('registry.example.com/qdrant/qhc-operator:2.15.0');
    expect(agent.containers[0].image).toBe('registry.example.com/qdrant/qhc-agent:1.4.2');
    const env = Object.fromEntries(agent.containers[0].env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ HTTPS_PROXY: 'http://proxy.internal:3128', NODE_EXTRA_CA_CERTS: '/etc/qhc/ca/ca.crt', QHC_LOG_LEVEL: 'WARN' });
    expect(env.NO_PROXY).toContain('.internal');
    expect(get(objects, 'ConfigMap', 'qhc-ca-bundle').data['ca.crt']).toBe(pem);
    expect(get(objects, 'ConfigMap', 'qhc-operator-settings').data['operator-settings.yaml']).toContain('minDelay: 2');
  });
});

describe('buildInstallation: cluster manager, secrets and RBAC', () => {
  it("runs one cluster manager from the settings' clusterManager block, reachable by the operator only", () => {
    const base = region();
    const custom = {
      ...base,
      operatorSettings: {
        settings: {
          ...base.operatorSettings.settings,
          clusterManager: {
            ...base.operatorSettings.settings.clusterManager,
            node_selector: { pool: 'system' },
            tolerations: [{ key: 'dedicated', operator: 'Equal' as const, value: 'system', effect: 'NoSchedule' as const }],
          },
        },
      },
    };
    const built = buildInstallation(custom, CREDENTIALS);
    const manager = get(built, 'Deployment', 'qhc-cluster-manager').spec.template.spec;
    // The release's own cluster manager, tagged like the operator (the settings do not pin one).
    expect(manager.containers[0].image).toBe('registry.example.com/qdrant/qdrant-cloud-cluster-manager:2.15.0');
    expect(manager.nodeSelector).toEqual({ pool: 'system' });
    expect(manager.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'system', effect: 'NoSchedule' }]);
    expect(manager.automountServiceAccountToken).toBe(false);
    expect(get(built, 'Service', 'qhc-cluster-manager').spec.ports).toEqual([{ name: 'http', port: 7333, targetPort: 'http', protocol: 'TCP' }]);
    expect(get(built, 'NetworkPolicy', 'qhc-cluster-manager').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'qhc-operator' } } }], ports: [{ protocol: 'TCP', port: 7333 }] },
    ]);
    const operatorEnv = get(built, 'Deployment', 'qhc-operator').spec.template.spec.containers[0].env;
    expect(operatorEnv).toContainEqual({ name: 'QHC_CLUSTER_MANAGER_URL', value: 'http://qhc-cluster-manager.qdrant-hybrid.svc:7333' });
    expect(get(objects, 'Deployment', 'qhc-cluster-manager').spec.template.spec.nodeSelector).toBeUndefined();
  });

  it('keeps credentials in Secrets only, and the agent reads them by reference', () => {
    for (const object of objects.filter((o) => o.kind !== 'Secret')) {
      expect(toYaml([object])).not.toContain(TOKEN);
      expect(toYaml([object])).not.toContain('s3cret-pw');
    }
    expect(get(objects, 'Secret', 'qhc-agent-credentials').stringData['bootstrap-token']).toBe(TOKEN);
    const docker = JSON.parse(get(objects, 'Secret', 'qhc-registry-creds').stringData['.dockerconfigjson']);
    expect(Buffer.from(docker.auths['registry.example.com'].auth, 'base64').toString()).toBe('robot:s3cret-pw');
  });

  it('gives the agent no inbound access and justifies each cluster-wide rule by a cluster-scoped kind', () => {
    const policy = get(objects, 'NetworkPolicy', 'qhc-agent');
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toEqual([]);
    const clusterScoped = new Set([
      'clusterroles',
      'clusterrolebindings',
      'nodes',
      'storageclasses',
      'volumeattributesclasses',
      'volumesnapshotclasses',
      'volumesnapshotcontents',
      'qdrantcloudregions',
      'qdrantcloudregions/status',
      'customresourcedefinitions',
    ]);
    for (const role of objects.filter((o) => o.kind === 'ClusterRole')) {
      for (const rule of (role as Loose).rules) for (const resource of rule.resources) expect(clusterScoped, resource).toContain(resource);
    }
  });

  it('never lets the agent change cluster-scoped RBAC (escalate, bind or patch would make it cluster-admin)', () => {
    const agentClusterRole = objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name.startsWith('qhc-agent-'))!;
    const rbac = (agentClusterRole as Loose).rules.filter((r: { apiGroups: string[] }) => r.apiGroups.includes('rbac.authorization.k8s.io'));
    expect(rbac.length).toBeGreaterThan(0);
    for (const rule of rbac) expect(rule.verbs).toEqual(['get']);
  });

  it('refuses a control plane that is not https', () => {
    expect(() => buildInstallation(region(), { ...CREDENTIALS, controlPlaneUrl: 'http://qhc.example.com' })).toThrow(ManifestError);
    expect(() => buildInstallation(region(), { ...CREDENTIALS, controlPlaneUrl: 'qhc' })).toThrow(/controlPlaneUrl/);
  });
});

describe('renderInstallScript', () => {
  const script = renderInstallScript(region(), buildInstallation(region(), CREDENTIALS));

  it('is a strict bash script that applies server-side and waits', () => {
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(script).toContain('set -euo pipefail');
    expect(script).toContain("kubectl apply --server-side --force-conflicts --field-manager=qhc-installer -f - <<'QHC_MANIFESTS_END'");
    expect(script).toContain('rollout status deployment/qhc-agent');
  });

  it('never puts a secret on a command line or in an echo', () => {
    let inHeredoc = false;
    for (const line of script.split('\n')) {
      if (inHeredoc) {
        if (line === 'QHC_MANIFESTS_END') inHeredoc = false;
        continue;
      }
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain('s3cret-pw');
      if (line.endsWith("<<'QHC_MANIFESTS_END'")) inHeredoc = true;
    }
    expect(script).toContain(TOKEN);
  });
});

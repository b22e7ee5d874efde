// The cluster's configuration flags of `qhc cluster create` and `qhc cluster update`: what they
// put in the spec (which the schemas accept), how an update edits a spec, and the errors that
// name the flag.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { QdrantClusterSpec, clusterResourceName } from '@qhc/schemas';
import { applyConfigFlags } from '../src/commands/cluster-config.ts';
import { mergePatchOf } from '../src/commands/cluster.ts';
import { qhc } from './support.ts';

const ALL = [
  '--node-selector',
  'disktype=ssd',
  '--toleration',
  'dedicated=qdrant:NoSchedule',
  '--toleration',
  'gpu:NoExecute',
  '--service-type',
  'LoadBalancer',
  '--service-annotation',
  'lb.example.com/internal=true',
  '--ingress-host',
  'q.example.com',
  '--ingress-class',
  'nginx',
  '--ingress-tls-secret',
  'q-tls',
  '--ingress-annotation',
  'x=y',
  '--storage-class',
  'fast',
  '--volume-snapshot-class',
  'csi-snap',
  '--log-level',
  'DEBUG',
  '--api-key-secret',
  'keys:rw',
  '--read-only-api-key-secret',
  'keys:ro',
  '--rebalance',
];

/** A kubeconfig naming a cluster never called: --dry-run prints the QdrantCluster without sending it. */
function kubeconfig(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'qhc-kubeconfig-')), 'config');
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'k', cluster: { server: 'https://127.0.0.1:1' } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'k', context: { cluster: 'k', user: 'u', namespace: 'qdrant' } }],
      'current-context': 'k',
    }),
  );
  return path;
}
const dryRun = (flags: string[]) => qhc(['cluster', 'create', 'demo', '--dry-run', '--kubeconfig', KUBECONFIG, ...flags]);
const KUBECONFIG = kubeconfig();

describe('qhc cluster create: configuration flags', () => {
  it('puts every flag where the QdrantCluster spec has it', async () => {
    const run = await dryRun(ALL);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const body = parse(run.stdout) as { metadata: { name: string }; spec: Record<string, unknown> };
    expect(body.metadata.name).toBe(clusterResourceName('demo'));
    expect(body.spec).toEqual({
      id: 'demo',
      version: 'v1.16.2',
      size: 1,
      resources: { cpu: '1', memory: '1Gi', storage: '10Gi' },
      nodeSelector: { disktype: 'ssd' },
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'qdrant', effect: 'NoSchedule' },
        { key: 'gpu', operator: 'Exists', effect: 'NoExecute' },
      ],
      service: { type: 'LoadBalancer', annotations: { 'lb.example.com/internal': 'true' } },
      ingress: { enabled: true, ingressClassName: 'nginx', host: 'q.example.com', tls: true, tlsSecretName: 'q-tls', annotations: { x: 'y' } },
      storageClassNames: { db: 'fast' },
      storage: { volumeSnapshotClassName: 'csi-snap' },
      config: {
        log_level: 'DEBUG',
        service: { api_key: { secretKeyRef: { name: 'keys', key: 'rw' } }, read_only_api_key: { secretKeyRef: { name: 'keys', key: 'ro' } } },
      },
      clusterManager: true,
    });
    expect(QdrantClusterSpec.safeParse(body.spec).error).toBeUndefined();
  });

  it('--no-rebalance turns rebalancing off; without either the region default applies', async () => {
    expect((parse((await dryRun(['--no-rebalance'])).stdout) as { spec: { clusterManager?: boolean } }).spec.clusterManager).toBe(false);
    expect((parse((await dryRun([])).stdout) as { spec: { clusterManager?: boolean } }).spec).not.toHaveProperty('clusterManager');
    expect((parse((await dryRun(['--rebalance', 'off'])).stdout) as { spec: { clusterManager?: boolean } }).spec.clusterManager).toBe(false);
    expect((parse((await dryRun(['--rebalance', 'default'])).stdout) as { spec: { clusterManager?: boolean } }).spec).not.toHaveProperty('clusterManager');
  });

  it('a malformed flag is a usage error naming it', async () => {
    const cases: Array<[string[], string]> = [
      [
        ['--toleration', 'x:Never'],
        'error: --toleration "x:Never": expected key[=value][:Effect] with Effect one of NoSchedule, PreferNoSchedule, NoExecute (or key- to remove)\n',
      ],
      [['--node-selector', 'ssd'], 'error: --node-selector "ssd": expected key=value (or key- to remove)\n'],
      [['--api-key-secret', 'keys'], 'error: --api-key-secret "keys": expected <secret>:<key>, e.g. qdrant-api-key:api-key\n'],
    ];
    for (const [flags, message] of cases) {
      const run = await dryRun(flags);
      expect([run.code, run.stderr]).toEqual([2, message]);
    }
  });
});

describe('qhc cluster update', () => {
  const current = {
    version: 'v1.16.2',
    size: 3,
    resources: { cpu: '1', memory: '1Gi', storage: '1Gi' },
    nodeSelector: { disktype: 'ssd', zone: 'a' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'qdrant', effect: 'NoSchedule' }],
    ingress: { enabled: true, host: 'q.example.com', annotations: { a: '1' } },
    config: { log_level: 'INFO', service: { api_key: { secretKeyRef: { name: 'keys', key: 'rw' } } } },
    clusterManager: true,
  };

  it('changes only what its flags name: key- removes, --no-ingress keeps the ingress settings for later', () => {
    const next = applyConfigFlags(current, {
      nodeSelector: ['zone-', 'pool=db'],
      toleration: ['dedicated-', 'gpu:NoExecute'],
      ingress: false,
      ingressAnnotation: ['a-'],
      logLevel: 'DEBUG',
      rebalance: false,
      volumeSnapshotClass: 'csi-other',
    });
    expect(next).toEqual({
      ...current,
      nodeSelector: { disktype: 'ssd', pool: 'db' },
      tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoExecute' }],
      ingress: { enabled: false, host: 'q.example.com' },
      config: { log_level: 'DEBUG', service: { api_key: { secretKeyRef: { name: 'keys', key: 'rw' } } } },
      clusterManager: false,
      storage: { volumeSnapshotClassName: 'csi-other' },
    });
    expect(applyConfigFlags(current, {})).toEqual(current);
  });

  it("--rebalance default unsets rebalancing (the region's setting); on/off set it; anything else is a usage error", () => {
    expect(applyConfigFlags(current, { rebalance: 'default' })).not.toHaveProperty('clusterManager');
    expect(applyConfigFlags({ ...current, clusterManager: false }, { rebalance: 'on' }).clusterManager).toBe(true);
    expect(applyConfigFlags(current, { rebalance: 'off' }).clusterManager).toBe(false);
    expect(() => applyConfigFlags(current, { rebalance: 'maybe' })).toThrow('--rebalance "maybe": expected on, off or default');
  });

  it('directly in the region, a removed key is sent as null so the merge patch unsets it', () => {
    expect(mergePatchOf(current, applyConfigFlags(current, { rebalance: 'default' }))).toEqual({ ...current, clusterManager: null });
    expect(mergePatchOf(current, applyConfigFlags(current, { logLevel: 'DEBUG' }))).not.toHaveProperty('clusterManager', null);
  });

  it('without a flag it refuses before calling anything', async () => {
    const run = await qhc(['cluster', 'update', 'demo', '--region', 'r']);
    expect([run.code, run.stderr]).toEqual([2, 'error: no configuration flag given\nhint: see `qhc cluster update --help`\n']);
  });
});

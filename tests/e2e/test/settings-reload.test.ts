// The operator's settings ConfigMap changed while clusters run, on the kube sandbox. kwok's
// nodes mount no volumes, so the kubelet's part is played here: after each change of the
// ConfigMap the test writes its data into a folder with the kubelet's AtomicWriter sequence
// (`..data` swapped to a new `..<timestamp>` directory), the folder the operator runs from.
// Qdrant is the test double, whose peers follow the pods.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeletWrite, waitFor } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { joinPodsAsPeers, peerUri, startQdrantDouble, type ClusterSimulation, type QdrantDouble } from '@qhc/qdrant-double';
import { OPERATOR_SETTINGS_CONDITION, allKinds, buildCrd, configMapName, statefulSetName, type Condition, type QdrantCluster } from '@qhc/schemas';
import { collectStatus } from '@qhc/agent';
import { startOperator, type RunningOperator } from '@qhc/operator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qdrantClusterRef } from '@qhc/schemas/test';

const sandbox = useSandboxNamespace('e2e-settings');
const SETTINGS_CM = 'qhc-operator-settings';
const KEY = 'operator-settings.yaml';
const IDS = ['s1', 's2', 's3'];
let client: KubeClient;
let double: QdrantDouble;
let operator: RunningOperator;
let volume: string;
/** What each of the operator's looks at its settings file found, in order. */
const checks: string[] = [];
const sims = new Map<string, ClusterSimulation>();

type Cluster = KubeObject & Pick<QdrantCluster, 'spec' | 'status'>;
type ConfigMap = KubeObject & { data?: Record<string, string> };
type StatefulSet = KubeObject & {
  spec?: { replicas?: number };
  status?: { updatedReplicas?: number; readyReplicas?: number; currentRevision?: string; updateRevision?: string };
};

const settingsText = (logLevel: string) =>
  `settings:\n  app_environment: local\n  backOff:\n    minDelay: 1\n    maxDelay: 3\n    increment: 1\n  qdrant:\n    log_level: ${logLevel}\n`;
const BAD = 'settings:\n  app_environment: local\n  backOff:\n    minDelay: 10\n    maxDelay: 5\n  qdrant:\n    log_level: ERROR\n';
const ref = (id: string) => qdrantClusterRef(id, sandbox.namespace);
const cmRef = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: sandbox.namespace, name });

/** What the agent does (apply the ConfigMap), then what the kubelet does (project it into the volume). */
async function changeSettings(text: string): Promise<void> {
  await client.apply(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: SETTINGS_CM, namespace: sandbox.namespace }, data: { [KEY]: text } },
    { fieldManager: 'qhc-agent' },
  );
  const cm = await client.get<ConfigMap>(cmRef(SETTINGS_CM));
  kubeletWrite(volume, cm!.data!);
}

async function settled(id: string): Promise<void> {
  await waitFor(
    `qdrant-${id} Healthy and rolled out`,
    async () => {
      const c = await client.get<Cluster>(ref(id));
      const sts = await client.get<StatefulSet>({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: sandbox.namespace, name: statefulSetName(id) });
      const rolled =
        sts?.status?.updatedReplicas === sts?.spec?.replicas &&
        sts?.status?.readyReplicas === sts?.spec?.replicas &&
        sts?.status?.currentRevision === sts?.status?.updateRevision;
      return c?.status?.phase === 'Healthy' && c.status.observedGeneration === c.metadata.generation && c.status.availableNodes === 1 && rolled
        ? true
        : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 250 },
  );
}

const logLevelOf = async (id: string) => /log_level: (\w+)/.exec((await client.get<ConfigMap>(cmRef(configMapName(id))))?.data?.['production.yaml'] ?? '')?.[1];

async function resourceVersions(): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  for (const id of IDS) {
    out[`cluster/${id}`] = (await client.get(ref(id)))?.metadata.resourceVersion;
    out[`configmap/${id}`] = (await client.get(cmRef(configMapName(id))))?.metadata.resourceVersion;
    out[`statefulset/${id}`] = (
      await client.get({ apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: sandbox.namespace, name: statefulSetName(id) })
    )?.metadata.resourceVersion;
  }
  return out;
}

async function settingsEvents(): Promise<Array<{ type: string; reason: string; note: string }>> {
  const events = await client.list<KubeObject & { type: string; reason: string; note: string; regarding: { kind: string; name: string } }>(
    { apiVersion: 'events.k8s.io/v1', kind: 'Event' },
    { namespace: sandbox.namespace },
  );
  return events.items
    .filter((e) => e.regarding.kind === 'ConfigMap' && e.regarding.name === SETTINGS_CM)
    .map(({ type, reason, note }) => ({ type, reason, note }));
}

/** The region condition the agent reports (and writes to the QdrantCloudRegion), from a real status collection. */
async function reportedCondition(): Promise<Condition | undefined> {
  const report = await collectStatus(client, sandbox.namespace, sandbox.namespace, undefined, '0.0.0-test');
  return (report.region as { conditions?: Condition[] } | undefined)?.conditions?.find((c) => c.type === OPERATOR_SETTINGS_CONDITION);
}

beforeAll(async () => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-e2e' });
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  await waitFor('CRDs served', () => client.list({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster' }, { namespace: sandbox.namespace }).then(() => true));
  double = await startQdrantDouble();
  double.onRequest = async (call) => {
    const id = /\/qdrant-(.+)$/.exec(call.cluster)?.[1];
    const sim = id ? sims.get(id) : undefined;
    if (id && sim) await joinPodsAsPeers(client, sandbox.namespace, id, sim);
  };
  volume = mkdtempSync(join(tmpdir(), 'qhc-settings-volume-'));
  await changeSettings(settingsText('INFO'));
  operator = await startOperator({
    settingsPath: join(volume, KEY),
    kubeconfigPath: sandbox.kubeconfigPath,
    namespace: sandbox.namespace,
    leaseNamespace: sandbox.namespace,
    leaderElection: false,
    port: 0,
    logger: createLogger({ level: 'warn', component: 'qhc-operator' }),
    qdrantUrlTemplate: `${double.url}/{namespace}%2F{name}/{node}`,
    settingsWatch: { debounceMs: 50, pollMs: 2_000, onCheck: (result) => checks.push(result) },
  });
});
afterAll(async () => {
  await operator?.stop();
  await double?.close();
  await client?.delete({ apiVersion: 'qdrant.io/v1', kind: 'QdrantCloudRegion', name: sandbox.namespace }).catch(() => undefined);
});

describe('operator settings changed in a running region', () => {
  it('a new default qdrant.log_level reaches every existing cluster', async () => {
    for (const id of IDS) {
      sims.set(id, double.cluster(`${sandbox.namespace}/qdrant-${id}`, peerUri(sandbox.namespace, id)));
      await client.apply({
        apiVersion: 'qdrant.io/v1',
        kind: 'QdrantCluster',
        metadata: { name: `qdrant-${id}`, namespace: sandbox.namespace, labels: { 'cluster-id': id, 'customer-id': 'acme' } },
        spec: { id, version: 'v1.12.4', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } },
      });
    }
    // A restore that failed (its snapshot does not exist): finished, never requeued by itself;
    // only the settings change runs it again.
    const restore = { apiVersion: 'qdrant.io/v1', kind: 'QdrantClusterRestore', namespace: sandbox.namespace, name: 'from-nothing' };
    await client.apply({
      apiVersion: restore.apiVersion,
      kind: restore.kind,
      metadata: { name: restore.name, namespace: sandbox.namespace, labels: { 'cluster-id': 's1', 'customer-id': 'acme' } },
      spec: { source: { snapshotName: 'missing', namespace: sandbox.namespace }, destination: { name: 'qdrant-s1', namespace: sandbox.namespace } },
    });
    for (const id of IDS) await settled(id);
    expect(await Promise.all(IDS.map(logLevelOf))).toEqual(['INFO', 'INFO', 'INFO']);
    await waitFor('the restore Failed', async () =>
      (await client.get<KubeObject & { status?: { phase?: string } }>(restore))?.status?.phase === 'Failed' ? true : undefined,
    );
    const restorePasses = () => operator.metrics.reconciles.get({ kind: 'QdrantClusterRestore', result: 'success' });
    const passesBefore = restorePasses();
    await waitFor('the settings status written', async () =>
      (await client.get<ConfigMap>(cmRef('qhc-operator-settings-status')))?.data?.valid === 'true' ? true : undefined,
    );

    await changeSettings(settingsText('DEBUG'));
    await waitFor('DEBUG in every cluster ConfigMap', async () => ((await Promise.all(IDS.map(logLevelOf))).every((l) => l === 'DEBUG') ? true : undefined), {
      timeoutMs: 60_000,
    });
    expect(operator.settings.settings.settings.qdrant.log_level).toBe('DEBUG');
    await waitFor('the restore reconciled again', async () => (restorePasses() > passesBefore ? true : undefined));
    await waitFor('the SettingsReloaded event', async () => ((await settingsEvents()).some((e) => e.reason === 'SettingsReloaded') ? true : undefined));
    const condition = await reportedCondition();
    expect(condition).toMatchObject({ status: 'True', reason: 'Loaded' });
    expect(condition?.message).toContain(operator.settings.status.loadedHash);
    for (const id of IDS) await settled(id);
  });

  it('a bad settings change leaves every cluster untouched, and shows as an event and a region condition', async () => {
    const before = await resourceVersions();
    const loaded = operator.settings.status.loadedHash;
    await changeSettings(BAD);

    const event = await waitFor('the InvalidSettings event', async () => (await settingsEvents()).find((e) => e.reason === 'InvalidSettings'));
    expect(event.type).toBe('Warning');
    expect(event.note).toContain('settings.backOff.minDelay (line 4');
    expect(event.note).toContain(loaded);
    const status = await waitFor('the refusal in the settings status', async () => {
      const cm = await client.get<ConfigMap>(cmRef('qhc-operator-settings-status'));
      return cm?.data?.valid === 'false' ? cm.data : undefined;
    });
    expect(status).toMatchObject({ loadedHash: loaded, message: expect.stringContaining('settings.backOff.minDelay (line 4') });

    const condition = await reportedCondition();
    expect(condition).toMatchObject({ type: OPERATOR_SETTINGS_CONDITION, status: 'False', reason: 'InvalidSettings' });
    expect(condition?.message).toContain('settings.backOff.minDelay (line 4');
    // The agent also writes it where kubectl shows the region; our CRD keeps the field.
    const region = await client.get<KubeObject & { status?: { conditions?: Condition[] } }>({
      apiVersion: 'qdrant.io/v1',
      kind: 'QdrantCloudRegion',
      name: sandbox.namespace,
    });
    expect(region?.status?.conditions?.find((c) => c.type === OPERATOR_SETTINGS_CONDITION)?.status).toBe('False');

    // Nothing re-queued, nothing written: the old settings stay in force. Two more periodic
    // looks first (4 s), time enough for a wrongly queued pass to have written something.
    const seen = checks.length;
    await waitFor('two more periodic looks', async () => (checks.slice(seen).filter((c) => c === 'unchanged').length >= 2 ? true : undefined), {
      timeoutMs: 10_000,
    });
    expect(operator.settings.settings.settings.qdrant.log_level).toBe('DEBUG');
    expect(await resourceVersions()).toEqual(before);
    expect(await Promise.all(IDS.map(logLevelOf))).toEqual(['DEBUG', 'DEBUG', 'DEBUG']);
  });

  it('a valid file again clears the condition and applies', async () => {
    await changeSettings(settingsText('WARN'));
    await waitFor('WARN in every cluster ConfigMap', async () => ((await Promise.all(IDS.map(logLevelOf))).every((l) => l === 'WARN') ? true : undefined), {
      timeoutMs: 60_000,
    });
    const condition = await waitFor('the condition back to True', async () => {
      const c = await reportedCondition();
      return c?.status === 'True' ? c : undefined;
    });
    expect(condition.reason).toBe('Loaded');
    expect((await client.get<ConfigMap>(cmRef('qhc-operator-settings-status')))?.data).not.toHaveProperty('message');
  });
});

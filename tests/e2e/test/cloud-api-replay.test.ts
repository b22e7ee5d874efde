// The official clients' call sequences (the Terraform provider's and qcloud's, as observed against
// Qdrant Cloud) replayed with a gRPC client generated from qhc's protos, over TLS HTTP/2 to the
// control plane, against the kube sandbox with the agent (its own process) and the operator
// running: an environment created and bootstrapped with the commands the API answers until it is
// READY, then a cluster created, polled as Terraform polls it, scaled 3 → 5 and deleted.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clone, toBinary } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterV1, hybridV1 } from '@qhc/cloud-api';
import { createLoopbackTls, waitFor, type LoopbackTls } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import type { RunningControlPlane } from '@qhc/control-plane';
import type { RunningOperator } from '@qhc/operator';
import { DEFAULT_PACKAGES } from '@qhc/schemas';
import { qdrantClusterRef } from '@qhc/schemas/test';
import { startAgentProcess, type AgentProcess } from './support/agent-process.ts';
import { agentArgs, cleanEnv, cloudClients, runCommands, startCloudControlPlane, startSandboxOperator, type CloudClients } from './support/cloud-region.ts';

const sandbox = useSandboxNamespace('e2e-cloud-replay');
const MANAGEMENT_KEY = 'qhc_m_e2e-management-key-replay-0123456789';
const headers = { authorization: `apikey ${MANAGEMENT_KEY}` };
const { HybridCloudEnvironmentStatusPhase: EnvPhase } = hybridV1;
const { ClusterPhase } = clusterV1;
let tls: LoopbackTls;
let client: KubeClient;
let cp: RunningControlPlane;
let api: CloudClients;
let operator: RunningOperator | undefined;
let agent: AgentProcess | undefined;
let environmentId = '';
let clusterId = '';

type SandboxCluster = KubeObject & { spec: { size: number }; status?: { phase?: string } };
const sandboxCluster = (id: string) => client.get<SandboxCluster>(qdrantClusterRef(id, sandbox.namespace));

const getEnvironment = () => api.hybrid.getHybridCloudEnvironment({ accountId: cp.accountId, hybridCloudEnvironmentId: environmentId }, { headers });
const getCluster = () => api.clusters.getCluster({ accountId: cp.accountId, clusterId }, { headers });

/** The message without what the server observes (status, state): what a `terraform plan` compares. */
function planned<T extends hybridV1.HybridCloudEnvironment | clusterV1.Cluster>(message: T): Uint8Array {
  if (message.$typeName === 'qdrant.cloud.hybrid.v1.HybridCloudEnvironment') {
    const copy = clone(hybridV1.HybridCloudEnvironmentSchema, message);
    copy.status = undefined;
    return toBinary(hybridV1.HybridCloudEnvironmentSchema, copy);
  }
  const copy = clone(clusterV1.ClusterSchema, message);
  copy.state = undefined;
  return toBinary(clusterV1.ClusterSchema, copy);
}

beforeAll(async () => {
  tls = await createLoopbackTls(mkdtempSync(join(tmpdir(), 'qhc-tls-')), 'qhc-control-plane');
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-e2e' });
  const database = join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'control-plane.db');
  cp = await startCloudControlPlane({ database, port: 0, tls, managementKey: MANAGEMENT_KEY });
  api = cloudClients(cp.url, tls.ca);
});
afterAll(async () => {
  await agent?.stop();
  await operator?.stop();
  await cp?.stop();
});

describe('Terraform and qcloud: a hybrid cloud environment', () => {
  it('Create → GenerateBootstrapCommands → the commands run with bash and kubectl → Get until READY', async () => {
    const configuration = { namespace: sandbox.namespace, caCertificates: tls.ca };
    const created = await api.hybrid.createHybridCloudEnvironment(
      { hybridCloudEnvironment: { accountId: cp.accountId, name: 'e2e-replay', configuration } },
      { headers },
    );
    environmentId = created.hybridCloudEnvironment!.id;
    expect(created.hybridCloudEnvironment).toMatchObject({ accountId: cp.accountId, name: 'e2e-replay', configuration });

    const bootstrap = await api.hybrid.generateBootstrapCommands({ accountId: cp.accountId, hybridCloudEnvironmentId: environmentId }, { headers });
    expect(bootstrap.commands.length).toBeGreaterThan(0);
    const run = await runCommands(bootstrap.commands, { kubeconfigPath: sandbox.kubeconfigPath, caPath: tls.caPath });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`qhc: region ${environmentId} installed`);
    expect((await getEnvironment()).hybridCloudEnvironment?.bootstrapCommandsGenerated).toBe(true);

    operator = await startSandboxOperator(sandbox);
    const port = Number(new URL(cp.url).port);
    const args = agentArgs({ port, region: environmentId, namespace: sandbox.namespace, kubeconfigPath: sandbox.kubeconfigPath }, ['--ca-file', tls.caPath]);
    agent = startAgentProcess(args, cleanEnv());
    await agent.waitForLog('the agent connected', /"msg":"registered with the control plane"/, 60_000);

    const ready = await waitFor(
      'the environment READY',
      async () => {
        const env = (await getEnvironment()).hybridCloudEnvironment;
        return env?.status?.phase === EnvPhase.READY ? env : undefined;
      },
      { timeoutMs: 90_000 },
    );
    expect(ready.status!.storageClasses.map((s) => s.name)).toEqual(expect.arrayContaining(['qhc-expandable', 'qhc-fixed']));
    expect(ready.status!.storageClasses.find((s) => s.default)).toMatchObject({ name: 'qhc-expandable', allowVolumeExpansion: true });
    expect(ready.status!.capabilities).toMatchObject({ volumeSnapshot: true, volumeExpansion: true });
    expect(ready.status!.clusterCreationReadiness).toBe(hybridV1.QdrantClusterCreationStatus.READY);
    expect(ready.configuration).toMatchObject(configuration);
  }, 300_000);

  it('Get on every plan: a second Get answers the identical message', async () => {
    const first = (await getEnvironment()).hybridCloudEnvironment!;
    const second = (await getEnvironment()).hybridCloudEnvironment!;
    expect(Buffer.from(planned(second)).equals(Buffer.from(planned(first)))).toBe(true);
    const listed = await api.hybrid.listHybridCloudEnvironments({ accountId: cp.accountId }, { headers });
    expect(listed.items.map((e) => e.id)).toEqual([environmentId]);
  });
});

describe('Terraform: a cluster in the environment', () => {
  const configuration = { numberOfNodes: 3, version: 'v1.16.3', packageId: DEFAULT_PACKAGES[0]!.id };

  it('CreateCluster with qc-jwt-rbac → GetCluster polled until the endpoint url is set; the QdrantCluster is Healthy', async () => {
    const request = { accountId: cp.accountId, name: 'replayed', cloudProviderId: 'hybrid', cloudProviderRegionId: environmentId, configuration };
    const created = await api.clusters.createCluster({ cluster: request }, { headers: { ...headers, 'qc-jwt-rbac': 'true' } });
    clusterId = created.cluster!.id;
    expect(created.cluster).toMatchObject({ ...request, configuration });
    // As the provider waits: until state.endpoint.url is non-empty or the phase is FAILED_TO_CREATE.
    const served = await waitFor(
      'an endpoint url or FAILED_TO_CREATE',
      async () => {
        const c = (await getCluster()).cluster!;
        return c.state?.endpoint?.url || c.state?.phase === ClusterPhase.FAILED_TO_CREATE ? c : undefined;
      },
      { timeoutMs: 120_000 },
    );
    expect(served.state).toMatchObject({ phase: ClusterPhase.HEALTHY, nodesUp: 3, jwtRbac: true });
    expect(served.state!.endpoint!.url).toMatch(/^https?:\/\/\S+/);
    const inSandbox = await sandboxCluster(clusterId);
    expect([inSandbox?.spec.size, inSandbox?.status?.phase]).toEqual([3, 'Healthy']);
  }, 180_000);

  it('Get on every plan: a second GetCluster answers the identical message, with what was sent', async () => {
    const first = (await getCluster()).cluster!;
    const second = (await getCluster()).cluster!;
    expect(Buffer.from(planned(second)).equals(Buffer.from(planned(first)))).toBe(true);
    expect(second.configuration).toMatchObject(configuration);
    expect(second).toMatchObject({ name: 'replayed', cloudProviderId: 'hybrid', cloudProviderRegionId: environmentId });
  });

  it('UpdateCluster 3 → 5 nodes → GetCluster until nodes_up 5', async () => {
    const current = clone(clusterV1.ClusterSchema, (await getCluster()).cluster!);
    current.configuration!.numberOfNodes = 5;
    const updated = await api.clusters.updateCluster({ cluster: current }, { headers });
    expect(updated.cluster?.configuration?.numberOfNodes).toBe(5);
    const scaled = await waitFor(
      '5 nodes up',
      async () => {
        const c = (await getCluster()).cluster!;
        return c.state?.nodesUp === 5 ? c : undefined;
      },
      { timeoutMs: 120_000 },
    );
    expect(scaled.configuration?.numberOfNodes).toBe(5);
    expect((await sandboxCluster(clusterId))?.spec.size).toBe(5);
  }, 150_000);

  it('DeleteCluster → GetCluster answers NotFound and the QdrantCluster is gone', async () => {
    await api.clusters.deleteCluster({ accountId: cp.accountId, clusterId }, { headers });
    await waitFor('the QdrantCluster deleted in the sandbox', async () => ((await sandboxCluster(clusterId)) ? undefined : true), { timeoutMs: 60_000 });
    const error = await waitFor(
      'GetCluster NotFound',
      () =>
        getCluster().then(
          () => undefined,
          (e: unknown) => ConnectError.from(e),
        ),
      { timeoutMs: 60_000 },
    );
    expect(error.code).toBe(Code.NotFound);
    const listed = await api.clusters.listClusters({ accountId: cp.accountId }, { headers });
    expect(listed.items.map((c) => c.id)).not.toContain(clusterId);
  }, 150_000);
});

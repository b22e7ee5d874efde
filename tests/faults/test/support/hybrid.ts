// The control plane (in this process, HTTPS with a loopback CA, driven through the Cloud API),
// an environment on the sandbox namespace, the operator (in this process) and the agent as its
// own process, optionally reaching the control plane through a TCP proxy that can black-hole.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { clusterV1, hybridV1 } from '@qhc/cloud-api';
import { createLoopbackTls, waitFor, type LoopbackTls } from '@qhc/kube-sandbox';
import type { SandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '@qhc/control-plane';
import type { RunningOperator } from '@qhc/operator';
import { DEFAULT_PACKAGES } from '@qhc/schemas';
import { startAgentProcess, type AgentProcess } from './agent-process.ts';
import { installCrds, startTestOperator } from './clusters.ts';

const MANAGEMENT_KEY = 'qhc_m_faults-management-key-abcdefghijklmnop';
const headers = { authorization: `apikey ${MANAGEMENT_KEY}` };

export interface Hybrid {
  client: KubeClient;
  cp: RunningControlPlane;
  operator: RunningOperator;
  tls: LoopbackTls;
  /** The Cloud API's cluster service (gRPC over TLS, trusting the loopback CA). */
  clusters: Client<typeof clusterV1.ClusterService>;
  /** Starts the agent against `url` (default: the control plane itself). */
  startAgent(url?: string): AgentProcess;
  /** Creates cluster `name` of `size` nodes through the Cloud API: its id (its Kubernetes objects' id). */
  createCluster(name: string, size: number): Promise<string>;
  /** Sets cluster `id`'s number of nodes through the Cloud API. */
  scaleCluster(id: string, size: number): Promise<void>;
  /** Waits until the control plane shows every cluster (by id) Healthy (the status flowed back). */
  waitApiHealthy(ids: string[], timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startHybrid(sandbox: SandboxNamespace): Promise<Hybrid> {
  const client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-faults' });
  await installCrds(client, sandbox.namespace);
  const tls = await createLoopbackTls(mkdtempSync(join(tmpdir(), 'qhc-faults-tls-')), 'qhc-control-plane');
  const database = join(mkdtempSync(join(tmpdir(), 'qhc-faults-cp-')), 'control-plane.db');
  const cp = await startControlPlane({
    database,
    port: 0,
    tls: { cert: tls.cert, key: tls.key },
    managementKey: MANAGEMENT_KEY,
    logger: createLogger({ level: 'error', component: 'qhc-control-plane' }),
    pollIntervalMs: 100,
  });
  const transport = createGrpcTransport({ baseUrl: cp.url, nodeOptions: { ca: tls.ca } });
  const clusters = createClient(clusterV1.ClusterService, transport);
  const environmentId = await registerEnvironment(createClient(hybridV1.HybridCloudService, transport), cp.accountId, client, sandbox.namespace, tls);
  const operator = await startTestOperator(sandbox.kubeconfigPath, sandbox.namespace, { leaderElection: false });
  const agents: AgentProcess[] = [];
  const { accountId } = cp;
  const getCluster = async (clusterId: string) => (await clusters.getCluster({ accountId, clusterId }, { headers })).cluster!;
  return {
    client,
    cp,
    operator,
    tls,
    clusters,
    startAgent(url = cp.url) {
      const agent = startAgentProcess(agentArgs(url, environmentId, sandbox.namespace, sandbox.kubeconfigPath, tls.caPath));
      agents.push(agent);
      return agent;
    },
    async createCluster(name, size) {
      const configuration = { numberOfNodes: size, version: 'v1.16.2', packageId: DEFAULT_PACKAGES[0]!.id };
      const cluster = { accountId, name, cloudProviderId: 'hybrid', cloudProviderRegionId: environmentId, configuration };
      return (await clusters.createCluster({ cluster }, { headers })).cluster!.id;
    },
    async scaleCluster(id, size) {
      const current = await getCluster(id);
      current.configuration!.numberOfNodes = size;
      await clusters.updateCluster({ cluster: current }, { headers });
    },
    async waitApiHealthy(ids, timeoutMs = 60_000) {
      await waitFor(
        `${ids.length} clusters Healthy in the API`,
        async () => {
          const states = await Promise.all(ids.map(async (id) => (await getCluster(id)).state?.phase));
          return states.every((p) => p === clusterV1.ClusterPhase.HEALTHY) ? true : undefined;
        },
        { timeoutMs, intervalMs: 250 },
      );
    },
    async stop() {
      for (const agent of agents) await agent.stop();
      await operator.stop();
      await cp.stop();
    },
  };
}

/** The environment on the sandbox namespace (its id), and the agent Secret its bootstrap commands would leave. */
async function registerEnvironment(
  hybrid: Client<typeof hybridV1.HybridCloudService>,
  accountId: string,
  client: KubeClient,
  namespace: string,
  tls: LoopbackTls,
): Promise<string> {
  const configuration = { namespace, caCertificates: tls.ca };
  const created = await hybrid.createHybridCloudEnvironment({ hybridCloudEnvironment: { accountId, name: 'faults', configuration } }, { headers });
  const hybridCloudEnvironmentId = created.hybridCloudEnvironment!.id;
  const bootstrap = await hybrid.generateBootstrapCommands({ accountId, hybridCloudEnvironmentId }, { headers });
  await client.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'qhc-agent-credentials', namespace },
    data: { 'bootstrap-token': Buffer.from(bootstrap.accessKey).toString('base64') },
  });
  return hybridCloudEnvironmentId;
}

function agentArgs(url: string, region: string, namespace: string, kubeconfigPath: string, caPath: string): string[] {
  const flags: Record<string, string> = {
    'control-plane-url': url,
    region,
    namespace,
    kubeconfig: kubeconfigPath,
    'ca-file': caPath,
    'health-port': '0',
    'status-interval': '1',
    'poll-seconds': '5',
    'max-backoff': '2',
  };
  return Object.entries(flags).flatMap(([flag, value]) => [`--${flag}`, value]);
}

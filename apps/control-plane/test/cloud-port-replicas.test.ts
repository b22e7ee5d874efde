// replicas.test.ts on the Cloud API: control-plane replicas on one PostgreSQL database start
// together (one migrates, the others wait), and an environment made on one, its bootstrap token
// from another and a cluster created on a third reach an agent long-polling the second.
import { createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { clusterResourceName } from '@qhc/schemas';
import { clusterV1, hybridV1 } from '@qhc/cloud-api';
import { createLogger } from '@qhc/kube';
import { afterAll, describe, expect, it } from 'vitest';
import { startControlPlane, type RunningControlPlane } from '../src/index.ts';
import { databaseFor, MANAGEMENT_KEY, TEST_SECRETS } from './support/cloud.ts';
import { clusterInit } from './support/cloud-clusters.ts';
import { callApi } from './support/http.ts';

const running: RunningControlPlane[] = [];
afterAll(async () => {
  for (const cp of running) await cp.stop();
});

const auth = { authorization: `apikey ${MANAGEMENT_KEY}` };
// Connect over HTTP/1.1 without TLS: the replicas serve plain HTTP here.
const transport = (cp: RunningControlPlane) => createConnectTransport({ baseUrl: cp.url, httpVersion: '1.1' });
const hybrid = (cp: RunningControlPlane) => createClient(hybridV1.HybridCloudService, transport(cp));
const clusters = (cp: RunningControlPlane) => createClient(clusterV1.ClusterService, transport(cp));
const agentCall = (cp: RunningControlPlane, method: string, path: string, token: string) =>
  callApi(cp.url, method, path, { headers: { authorization: `Bearer ${token}` } });

async function startReplicas(): Promise<RunningControlPlane[]> {
  const database = await databaseFor('postgres');
  const start = () =>
    startControlPlane({
      database,
      port: 0,
      managementKey: MANAGEMENT_KEY,
      secrets: TEST_SECRETS,
      logger: createLogger({ level: 'error' }),
      publicUrl: 'https://cp.example.test',
      console: false,
      pollIntervalMs: 50,
    });
  const replicas = await Promise.all([start(), start(), start()]);
  running.push(...replicas);
  return replicas;
}

describe('several control-plane replicas on one PostgreSQL database, driven through the Cloud API', () => {
  it('start together, and a cluster created on one reaches an agent long-polling another', async () => {
    const [a, b, c] = await startReplicas();
    const accountId = a!.accountId;
    expect([b!.accountId, c!.accountId]).toEqual([accountId, accountId]);
    const env = (
      await hybrid(a!).createHybridCloudEnvironment(
        { hybridCloudEnvironment: { accountId, name: 'eu', configuration: { namespace: 'qdrant' } } },
        { headers: auth },
      )
    ).hybridCloudEnvironment!;
    const bootstrap = await hybrid(b!).generateBootstrapCommands({ accountId, hybridCloudEnvironmentId: env.id }, { headers: auth });
    const registered = await agentCall(c!, 'POST', '/agent/v1/register', bootstrap.accessKey);
    expect(registered.status).toBe(201);
    const agent = registered.json.token as string;
    const { revision } = (await agentCall(a!, 'GET', '/agent/v1/desired-state', agent)).json as { revision: number };
    const waiting = agentCall(b!, 'GET', `/agent/v1/desired-state?after=${revision}&waitSeconds=20`, agent);
    // Parked on b: the change made on c must wake it through the database, not be there when it first looks.
    await b!.longPolls.parked(env.id);
    const cluster = (await clusters(c!).createCluster({ cluster: clusterInit(accountId, env.id, 'x1') }, { headers: auth })).cluster!;
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect((answered.json.clusters as Array<{ id: string }>).map((cl) => cl.id)).toEqual([cluster.id]);
    expect(clusterResourceName(cluster.id)).toBe(`qdrant-${cluster.id}`);
    const listed = await clusters(a!).listClusters({ accountId }, { headers: auth });
    expect(listed.items.map((cl) => cl.name)).toEqual(['x1']);
  });
});

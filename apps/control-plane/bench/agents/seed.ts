// bench/agents.ts's world, made through the Cloud API as a user would (spread over the replicas):
// K environments, each with its agent registered, and M clusters spread over them.
import { createClient, type Client } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { clusterV1, hybridV1 } from '@qhc/cloud-api';
import { DEFAULT_PACKAGES } from '@qhc/schemas';
import { inParallel } from './fleet.ts';

export interface Clients {
  hybrid: Client<typeof hybridV1.HybridCloudService>;
  clusters: Client<typeof clusterV1.ClusterService>;
}

export const clientsOf = (url: string): Clients => {
  const transport = createConnectTransport({ baseUrl: url, httpVersion: '1.1' });
  return { hybrid: createClient(hybridV1.HybridCloudService, transport), clusters: createClient(clusterV1.ClusterService, transport) };
};

export interface World {
  /** Per environment: its id and its agent's token. */
  regions: Array<{ id: string; token: string }>;
  /** Per cluster: its id and region index. */
  clusters: Array<{ id: string; region: number }>;
}

const CONCURRENCY = 16;

export async function seed(urls: string[], accountId: string, managementKey: string, agents: number, clusterCount: number): Promise<World> {
  const options = { headers: { authorization: `apikey ${managementKey}` } };
  const clients = urls.map(clientsOf);
  const regions = await inParallel(
    Array.from({ length: agents }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      const { hybrid } = clients[i % clients.length]!;
      const env = await hybrid.createHybridCloudEnvironment(
        { hybridCloudEnvironment: { accountId, name: `r${i}`, configuration: { namespace: `ns-${i}` } } },
        options,
      );
      const id = env.hybridCloudEnvironment!.id;
      const { accessKey } = await hybrid.generateBootstrapCommands({ accountId, hybridCloudEnvironmentId: id }, options);
      const res = await fetch(`${urls[(i + 1) % urls.length]}/agent/v1/register`, { method: 'POST', headers: { authorization: `Bearer ${accessKey}` } });
      if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
      return { id, token: ((await res.json()) as { token: string }).token };
    },
  );
  const clusters = await inParallel(
    Array.from({ length: clusterCount }, (_, j) => j),
    CONCURRENCY,
    async (j) => {
      const region = j % agents;
      const cluster = {
        accountId,
        name: `c${j}`,
        cloudProviderId: 'hybrid',
        cloudProviderRegionId: regions[region]!.id,
        configuration: { numberOfNodes: 1, version: 'v1.16.3', packageId: DEFAULT_PACKAGES[1]!.id },
      };
      const made = await clients[j % clients.length]!.clusters.createCluster({ cluster }, options);
      return { id: made.cluster!.id, region };
    },
  );
  return { regions, clusters };
}

import { randomUUID } from 'node:crypto';
import { createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { qhcV1 } from '@qhc/cloud-api';
import type { RegionHealth, RegionRecord } from '@qhc/schemas';
import { parseClusterInput, parseRegionInput } from '../../src/api/inputs.ts';
import { createOwnerKey } from './keys.ts';
import type { AgentReport } from '../../src/repositories/status.ts';
import type { CloudPlane } from './cloud.ts';
import { sqlOn } from './sql.ts';

// Shared setup of the qhc.v1 tests: gRPC clients (TLS HTTP/2), regions and clusters made through
// the store /api/v1 uses, an agent's report, another account, and a digest of what qhc.v1 writes.

export interface QhcClients {
  sessions: Client<typeof qhcV1.SessionService>;
  environments: Client<typeof qhcV1.EnvironmentAgentService>;
  events: Client<typeof qhcV1.ClusterEventService>;
}

export function qhcClients(plane: CloudPlane): QhcClients {
  const transport = createGrpcTransport({ baseUrl: plane.cp.url, nodeOptions: { ca: plane.tls!.ca } });
  return {
    sessions: createClient(qhcV1.SessionService, transport),
    environments: createClient(qhcV1.EnvironmentAgentService, transport),
    events: createClient(qhcV1.ClusterEventService, transport),
  };
}

export async function seedRegion(plane: CloudPlane, name: string): Promise<RegionRecord> {
  const { store } = plane.cp;
  return store.createRegion(parseRegionInput({ name, namespace: `ns-${name}`, agentVersion: '0.1.0', operatorVersion: '0.1.0' }, store.defaults));
}

/** A cluster made through /api/v1's store: its id. */
export async function seedCluster(plane: CloudPlane, region: RegionRecord, name: string): Promise<string> {
  const spec = { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };
  return (await plane.cp.store.createCluster(region, parseClusterInput({ name, spec }))).id;
}

export const healthReport = (overrides: Partial<RegionHealth> = {}): RegionHealth => ({
  kubernetes: { version: 'v1.37.2', distribution: 'kwok' },
  nodes: { count: 1 },
  storageClasses: [{ name: 'fast', provisioner: 'ebs.csi.aws.com', default: true, allowVolumeExpansion: true, reclaimPolicy: 'Delete' }],
  volumeSnapshotClasses: [],
  capabilities: { volumeSnapshot: false, volumeExpansion: true },
  components: [
    { name: 'qhc-operator', version: '0.1.0', ready: true },
    { name: 'qhc-agent', version: '0.0.9', ready: false, message: 'rolling out' },
  ],
  canCreateClusters: true,
  collectedAt: '2026-12-03T21:00:00.000Z',
  ...overrides,
});

/** What an agent's status call records. */
export const report = (plane: CloudPlane, regionId: string, fields: Partial<AgentReport>) => plane.cp.store.recordStatus(regionId, { clusters: [], ...fields });

/** A second account with a key of its own. */
export async function otherAccount(plane: CloudPlane): Promise<{ accountId: string; key: string }> {
  const accountId = randomUUID();
  await sqlOn(plane.cp.store.db).run('INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3)', [accountId, 'other', '2026-01-01T00:00:00.000Z']);
  const { key } = await createOwnerKey(plane.cp.store.db, { accountId });
  return { accountId, key };
}

/** Every row qhc.v1 may write: equal before and after a refused call. */
export async function qhcDigest(plane: CloudPlane): Promise<unknown> {
  const sql = sqlOn(plane.cp.store.db);
  const all = (table: string) => sql.all(`SELECT * FROM ${table} ORDER BY id`);
  return {
    regions: await all('regions'),
    tokens: await all('tokens'),
    sessions: await all('cloud_sessions'),
    events: await all('cluster_events'),
    keys: await all('management_keys'),
  };
}

import { randomUUID } from 'node:crypto';
import { createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { backupV1, clusterV1 } from '@qhc/cloud-api';
import { clusterSpecFixture } from '@qhc/schemas/test';
import { beforeAll } from 'vitest';
import { parseRegionInput } from '../../src/api/inputs.ts';
import { insertCluster, insertClusterNamedById } from '../../src/repositories/clusters.ts';
import { createOwnerKey } from './keys.ts';
import { recordStatus, type AgentReport } from '../../src/repositories/status.ts';
import { regionRevision } from '../../src/repositories/regions.ts';
import type { RegionRecord } from '../../src/store.ts';
import { cloudPlane, type CloudPlane, type Dialect } from './cloud.ts';
import { sqlOn } from './sql.ts';

// The backup service's tests: a control plane with an environment (region) and clusters in the
// operator's account, another account with its own, and the agent's report of the region.

export interface BackupWorld {
  plane: CloudPlane;
  accountId: string;
  region: RegionRecord;
  /** Clusters of the account (UUIDs, objects `qdrant-<id>`), and one made through /api/v1 (objects named after it). */
  clusters: { a: string; b: string; legacy: string };
  other: { accountId: string; key: string; region: RegionRecord; cluster: string };
}

const regionBody = (name: string) => ({ name, namespace: `ns-${name}`, agentVersion: '0.1.0', operatorVersion: '0.1.0' });
type Spec = Parameters<typeof insertClusterNamedById>[2]['spec'];
/** A cluster's spec as stored (no id: the row's object id is). */
export const storedSpec = (size = 1): Spec => {
  const { id: _id, ...rest } = clusterSpecFixture('x', { size });
  return rest as Spec;
};
const spec = () => storedSpec();

async function makeRegion(plane: CloudPlane, name: string): Promise<RegionRecord> {
  return plane.cp.store.createRegion(parseRegionInput(regionBody(name), plane.cp.store.defaults));
}

async function otherAccount(plane: CloudPlane): Promise<BackupWorld['other']> {
  const db = plane.cp.store.db;
  const accountId = randomUUID();
  await sqlOn(db).run('INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3)', [accountId, 'other', new Date().toISOString()]);
  const { key } = await createOwnerKey(db, { accountId, now: () => plane.clock.now });
  const region = await makeRegion(plane, `other-${accountId.slice(0, 8)}`);
  await sqlOn(db).run('UPDATE regions SET account_id = $1 WHERE id = $2', [accountId, region.id]);
  const cluster = await insertClusterNamedById(db, region, { name: 'theirs', spec: spec() }, () => null);
  return { accountId, key, region, cluster };
}

/** The world, made once for the describe block. */
export function backupWorld(dialect: Dialect, { https = true } = {}): { plane: CloudPlane; world: () => BackupWorld } {
  const plane = cloudPlane(dialect, { https });
  let world: BackupWorld | undefined;
  beforeAll(async () => {
    const db = plane.cp.store.db;
    const region = await makeRegion(plane, 'env');
    const a = await insertClusterNamedById(db, region, { name: 'alpha', spec: spec() }, () => ({ apiKey: 'alpha-api-key-123' }));
    const b = await insertClusterNamedById(db, region, { name: 'beta', spec: spec() }, () => null);
    const legacy = await insertCluster(db, region, { name: 'legacy', spec: spec(), objectId: 'legacy' }, () => null);
    world = { plane, accountId: plane.cp.accountId, region, clusters: { a, b, legacy }, other: await otherAccount(plane) };
  });
  return { plane, world: () => world! };
}

/** A BackupService client over gRPC (HTTP/2 + TLS), with the operator's key unless another is given. */
export function backupClient(plane: CloudPlane): Client<typeof backupV1.BackupService> {
  const transport = createGrpcTransport({ baseUrl: plane.cp.url, nodeOptions: { ca: plane.tls!.ca } });
  return createClient(backupV1.BackupService, transport);
}

/** The served ClusterService (its CreateClusterFromBackup is the backup module's), over gRPC (HTTP/2 + TLS). */
export function fromBackupClient(plane: CloudPlane): Client<typeof clusterV1.ClusterService> {
  const transport = createGrpcTransport({ baseUrl: plane.cp.url, nodeOptions: { ca: plane.tls!.ca } });
  return createClient(clusterV1.ClusterService, transport);
}

/** The agent's report of the region at its latest revision: these objects, with their status. */
export async function reportRegion(plane: CloudPlane, region: RegionRecord, report: Partial<AgentReport>): Promise<void> {
  const db = plane.cp.store.db;
  const appliedRevision = (await regionRevision(db, region.id)) ?? 0;
  await recordStatus(db, region.id, { appliedRevision, clusters: [], resources: [], ...report } as AgentReport);
}

/** Every row a backup call may write: equal before and after a refused one. */
export async function backupDigest(plane: CloudPlane): Promise<unknown> {
  const sql = sqlOn(plane.cp.store.db);
  return {
    resources: await sql.all('SELECT * FROM resources ORDER BY id'),
    clusters: await sql.all('SELECT id, name, spec, deleted_at, origin FROM clusters ORDER BY id'),
    regions: await sql.all('SELECT id, revision FROM regions ORDER BY id'),
  };
}

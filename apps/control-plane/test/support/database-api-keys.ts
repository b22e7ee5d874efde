import { randomUUID } from 'node:crypto';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { databaseApiKeyV2 } from '@qhc/cloud-api';
import { generateSealingKeyPair, type SealingKeyPair } from '@qhc/schemas/sealing';
import { parseClusterInput, parseRegionInput } from '../../src/api/inputs.ts';
import type { CloudPlane } from './cloud.ts';
import { sqlOn } from './sql.ts';

export type KeyClient = Client<typeof databaseApiKeyV2.DatabaseApiKeyService>;

/** A DatabaseApiKeyService client over gRPC (HTTP/2 + TLS, trusting the test CA). */
export function grpcKeyClient(plane: CloudPlane): KeyClient {
  const transport = createGrpcTransport({ baseUrl: plane.cp.url, nodeOptions: { ca: plane.tls!.ca } });
  return createClient(databaseApiKeyV2.DatabaseApiKeyService, transport);
}

const DEFAULTS = { containerRegistryUrl: 'https://registry.example.test/qdrant/', chartRepositoryUrl: 'https://charts.example.test' };

/** A region whose agent reported a public key (unless `connected: false`), and a cluster in it. */
export interface KeyWorld {
  regionId: string;
  clusterId: string;
  /** What the cluster's Kubernetes objects (and its sealed keys) are bound to. */
  objectId: string;
  agent: SealingKeyPair;
}

export async function keyWorld(plane: CloudPlane, name: string, { connected = true } = {}): Promise<KeyWorld> {
  const store = plane.cp.store;
  const region = await store.createRegion(parseRegionInput({ name, namespace: `ns-${name}`, agentVersion: '0.1.0', operatorVersion: '0.1.0' }, DEFAULTS));
  const spec = { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };
  const cluster = await store.createCluster(region, parseClusterInput({ name: `${name}-c`, spec }));
  const agent = generateSealingKeyPair();
  if (connected) await store.recordStatus(region.id, { clusters: [], agentPublicKey: agent.publicKey });
  return { regionId: region.id, clusterId: cluster.id, objectId: cluster.name, agent };
}

/** A second account (made last, so the first stays the first) with a region and a cluster of its own, moved to it under the repositories. */
export async function foreignWorld(plane: CloudPlane, name: string): Promise<KeyWorld> {
  const world = await keyWorld(plane, name);
  const sql = sqlOn(plane.cp.store.db);
  const other = randomUUID();
  await sql.run('INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3)', [other, 'other', '9999-12-31T00:00:00.000Z']);
  await sql.run('UPDATE regions SET account_id = $1 WHERE id = $2', [other, world.regionId]);
  await sql.run('UPDATE clusters SET account_id = $1 WHERE id = $2', [other, world.clusterId]);
  return world;
}

/** Every row of every table: what a refused call must leave as it was, and where a plaintext key must never be. */
export async function everyRow(plane: CloudPlane): Promise<Record<string, unknown[]>> {
  const db = plane.cp.store.db;
  const sql = sqlOn(db);
  const tables =
    db.dialect === 'sqlite'
      ? await sql.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      : await sql.all<{ name: string }>('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name');
  const rows: Record<string, unknown[]> = {};
  for (const { name } of tables) rows[name] = await sql.all(`SELECT * FROM ${name} ORDER BY 1`);
  return rows;
}

export type KeyFields = MessageInitShape<typeof databaseApiKeyV2.DatabaseApiKeySchema> & { access?: 'MANAGE' | 'READ_ONLY' };

/** A key request: full access (the read-write slot) unless `access` says otherwise. */
export function keyRequest(
  plane: CloudPlane,
  clusterId: string,
  fields: KeyFields = {},
): { databaseApiKey: MessageInitShape<typeof databaseApiKeyV2.DatabaseApiKeySchema> } {
  const { access, ...rest } = fields;
  const accessType = access === 'READ_ONLY' ? 1 : 2;
  return {
    databaseApiKey: {
      accountId: plane.cp.accountId,
      clusterId,
      name: 'test key',
      ...(access ? { accessRules: [{ scope: { case: 'globalAccess' as const, value: { accessType } } }] } : {}),
      ...rest,
    },
  };
}

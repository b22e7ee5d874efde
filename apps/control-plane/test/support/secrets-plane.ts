import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@qhc/kube';
import { createLoopbackTls, type LoopbackTls } from '@qhc/kube-sandbox';
import { openSealed, sealedKeyContext } from '@qhc/schemas/sealing';
import { parseClusterInput } from '../../src/api/inputs.ts';
import { startControlPlane, type ControlPlaneOptions } from '../../src/index.ts';
import { registryCredentials } from '../../src/repositories/regions.ts';
import { SECRET_COLUMNS } from '../../src/secrets/index.ts';
import { MANAGEMENT_KEY, type CloudPlane } from './cloud.ts';
import { grpcKeyClient, keyRequest, keyWorld, type KeyWorld } from './database-api-keys.ts';
import { qhcClients, seedRegion } from './qhc.ts';
import { sqlOn } from './sql.ts';

// A control plane the secrets tests stop and start again on one database with other key rings.

/** A ring's text: `<id>:<32 bytes of the id's first character>` for each id, the first encrypting. */
export const ring = (...ids: string[]) => ids.map((id) => `${id}:${Buffer.alloc(32, id.charCodeAt(0)).toString('base64')}`).join('\n');

export const newTls = () => createLoopbackTls(join(mkdtempSync(join(tmpdir(), 'qhc-secrets-tls-')), 'tls'));

export async function startPlane(database: string, tls: LoopbackTls, secrets: ControlPlaneOptions['secrets']): Promise<CloudPlane> {
  const cp = await startControlPlane({
    database,
    port: 0,
    managementKey: MANAGEMENT_KEY,
    ...(secrets ? { secrets } : {}),
    logger: createLogger({ level: 'error' }),
    console: false,
    publicUrl: 'https://cp.example.test',
    tls: { cert: tls.cert, key: tls.key },
  });
  return { cp, tls, clock: { now: Date.now() }, auth: (key = MANAGEMENT_KEY) => ({ authorization: `apikey ${key}` }), digest: async () => undefined };
}

/** The secrets a test made through the Cloud API (and /api/v1's store for a cluster's own API key), and where. */
export interface SecretWorld {
  regionId: string;
  password: string;
  keys: KeyWorld;
  databaseApiKey: string;
  clusterId: string;
  clusterApiKey: string;
}

export async function makeSecrets(plane: CloudPlane, name: string): Promise<SecretWorld> {
  const region = await seedRegion(plane, `${name}-registry`);
  const password = `registry-password-${name}-0123456789`;
  const ids = { accountId: plane.cp.accountId, hybridCloudEnvironmentId: region.id };
  await qhcClients(plane).environments.setRegistryCredentials({ ...ids, username: 'robot', password }, { headers: plane.auth() });
  const keys = await keyWorld(plane, `${name}-keys`);
  const created = await grpcKeyClient(plane).createDatabaseApiKey(keyRequest(plane, keys.clusterId), { headers: plane.auth() });
  const spec = { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } };
  const clusterApiKey = `cluster-api-key-${name}-0123456789`;
  const regionRecord = await plane.cp.store.region(`${name}-keys`);
  const cluster = await plane.cp.store.createCluster(regionRecord, parseClusterInput({ name: `${name}-own`, spec, apiKey: clusterApiKey }));
  return { regionId: region.id, password, keys, databaseApiKey: created.databaseApiKey!.key, clusterId: cluster.id, clusterApiKey };
}

/** What the control plane reads back of each secret: the registry password, the key the agent opens, the cluster's API key. */
export async function readSecrets(plane: CloudPlane, world: SecretWorld): Promise<[string | undefined, string | undefined, string | undefined]> {
  const { store } = plane.cp;
  const desired = await store.desiredState(world.keys.regionId);
  const sealed = desired.clusters.find((c) => c.databaseApiKeys?.length)?.databaseApiKeys?.[0];
  const opened = sealed && openSealed(world.keys.agent.privateKeyPem, sealed.sealed, sealedKeyContext(world.keys.objectId, sealed.id));
  const own = desired.clusters.find((c) => c.apiKeys)?.apiKeys?.apiKey;
  return [(await registryCredentials(store.db, world.regionId))?.password, opened, own];
}

/** The key id of every stored secret value (`plain` for one not encrypted), by `table.column`. */
export async function storedKeyIds(plane: CloudPlane): Promise<Record<string, string[]>> {
  const sql = sqlOn(plane.cp.store.db);
  const tables = new Set((await plane.cp.store.db.q.introspection.getTables()).map((t) => t.name));
  const ids: Record<string, string[]> = {};
  for (const { table, column } of SECRET_COLUMNS) {
    if (!tables.has(table)) continue;
    const rows = await sql.all<{ value: string }>(`SELECT ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL`);
    ids[`${table}.${column}`] = [...new Set(rows.map((r) => /^enc:v1:([^:]+):/.exec(r.value)?.[1] ?? 'plain'))];
  }
  return ids;
}

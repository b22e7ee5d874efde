import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import { databaseApiKeyV2 } from '@qhc/cloud-api';
import { sealedKeyContext, sealFor } from '@qhc/schemas/sealing';
import {
  agentPublicKey,
  clusterOfAccount,
  deleteDatabaseApiKey,
  insertDatabaseApiKey,
  listDatabaseApiKeys,
  SlotTaken,
  type DatabaseApiKeyRow,
  type KeyCluster,
} from '../../repositories/database-api-keys.ts';
import { callerOf, type CloudDeps } from '../context.ts';
import { parseCreate, refuseProblems, slotWords, uuidProblem, type CreateInput } from './validate.ts';

// qdrant.cloud.cluster.auth.v2.DatabaseApiKeyService. A key fills one of Qdrant's two slots
// (read-write, read-only) of its cluster; the agent writes it into the cluster's api-key Secret.
// The secret is answered once, by Create; the database keeps its SHA-512 and a copy sealed for
// the region's agent, never the plaintext.

const { DatabaseApiKeySchema } = databaseApiKeyV2;
/** How many of a key's last characters listings show: enough to tell keys apart, never to guess one. */
const POSTFIX = 4;

/** The message as the client sent it, with the server's fields filled. */
function toDatabaseApiKey(row: DatabaseApiKeyRow, key = ''): databaseApiKeyV2.DatabaseApiKey {
  const sent = fromBinary(DatabaseApiKeySchema, Buffer.from(row.request, 'base64'));
  return create(DatabaseApiKeySchema, {
    ...sent,
    id: row.id,
    accountId: row.account_id,
    createdAt: timestampFromDate(new Date(row.created_at)),
    createdByEmail: '',
    postfix: row.postfix,
    key,
  });
}

/** A slot set through /api/v1 (plaintext keys, until /api/v1 goes) is filled too. */
function refuseV1Slot(cluster: KeyCluster, slot: CreateInput['slot']): void {
  const keys = cluster.apiKeys ?? undefined;
  if (slot === 'readWrite' ? keys?.apiKey : keys?.readOnlyApiKey)
    throw new ConnectError(
      `Qdrant accepts one ${slotWords(slot)} key per cluster; this cluster's was set through /api/v1: remove it there first`,
      Code.FailedPrecondition,
    );
}

async function clusterFor(deps: CloudDeps, accountId: string, clusterId: string): Promise<KeyCluster> {
  const cluster = await clusterOfAccount(deps.db, accountId, clusterId);
  // Another account's cluster is answered as one that does not exist.
  if (!cluster) throw new ConnectError(`cluster ${clusterId} does not exist`, Code.NotFound);
  return cluster;
}

async function createKey(deps: CloudDeps, accountId: string, sent: databaseApiKeyV2.DatabaseApiKey): Promise<databaseApiKeyV2.DatabaseApiKey> {
  const input = parseCreate(sent, deps.now());
  const cluster = await clusterFor(deps, accountId, input.clusterId);
  refuseV1Slot(cluster, input.slot);
  const publicKey = await agentPublicKey(deps.db, cluster.regionId);
  if (!publicKey) throw new ConnectError("the region's agent has not connected yet: keys are sealed for it; install it and try again", Code.FailedPrecondition);
  const key = randomBytes(32).toString('base64url');
  const id = randomUUID();
  try {
    const row = await insertDatabaseApiKey(
      deps.db,
      {
        id,
        account_id: accountId,
        cluster_id: cluster.id,
        regionId: cluster.regionId,
        slot: input.slot,
        hash: createHash('sha512').update(key).digest('hex'),
        postfix: key.slice(-POSTFIX),
        sealed: sealFor(publicKey, key, sealedKeyContext(cluster.objectId, id)),
        request: Buffer.from(toBinary(DatabaseApiKeySchema, sent)).toString('base64'),
        expires_at: input.expiresAt ?? null,
      },
      deps.now,
    );
    return toDatabaseApiKey(row, key);
  } catch (error) {
    if (!(error instanceof SlotTaken)) throw error;
    const words = slotWords(input.slot);
    throw new ConnectError(`Qdrant accepts one ${words} key per cluster; delete key ${error.keyId} first`, Code.FailedPrecondition);
  }
}

export function databaseApiKeyService(deps: CloudDeps): ServiceImpl<typeof databaseApiKeyV2.DatabaseApiKeyService> {
  return {
    async listDatabaseApiKeys(req, ctx) {
      const { accountId } = callerOf(ctx);
      const clusterId = req.clusterId;
      if (clusterId !== undefined) {
        refuseProblems([uuidProblem('cluster_id', clusterId)].filter((p) => p !== undefined));
        await clusterFor(deps, accountId, clusterId.toLowerCase());
      }
      const rows = await listDatabaseApiKeys(deps.db, accountId, clusterId?.toLowerCase());
      return { items: rows.map((row) => toDatabaseApiKey(row)) };
    },
    async createDatabaseApiKey(req, ctx) {
      return { databaseApiKey: await createKey(deps, callerOf(ctx).accountId, req.databaseApiKey!) };
    },
    async deleteDatabaseApiKey(req, ctx) {
      const { accountId } = callerOf(ctx);
      const problems = [uuidProblem('cluster_id', req.clusterId), uuidProblem('database_api_key_id', req.databaseApiKeyId)];
      refuseProblems(problems.filter((p) => p !== undefined));
      const where = { accountId, clusterId: req.clusterId.toLowerCase(), id: req.databaseApiKeyId.toLowerCase() };
      if (!(await deleteDatabaseApiKey(deps.db, where, deps.now)))
        throw new ConnectError(`database API key ${req.databaseApiKeyId} of cluster ${req.clusterId} does not exist`, Code.NotFound);
      return {};
    },
  };
}

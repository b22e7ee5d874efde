import { createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import type { DescService } from '@bufbuild/protobuf';
import { accountV1, authV1, backupV1, clusterV1, databaseApiKeyV2, hybridV1, iamV1 } from '@qhc/cloud-api';
import { generateSealingKeyPair } from '@qhc/schemas/sealing';
import { parseRegionInput } from '../../src/api/inputs.ts';
import { createAccountOwnedBy } from '../../src/cloud/account/create.ts';
import { insertClusterNamedById } from '../../src/repositories/clusters.ts';
import { insertUser, addMember } from '../../src/repositories/users.ts';
import { storedSpec } from './backup.ts';
import type { CloudPlane } from './cloud.ts';
import { createOwnerKey } from './keys.ts';

// Two accounts for the isolation tests: A (the first, the test key's) holding one object of
// every kind, B (signed up) with an Owner key of its own and nothing else.

export interface Clients {
  hybrid: Client<typeof hybridV1.HybridCloudService>;
  cluster: Client<typeof clusterV1.ClusterService>;
  backup: Client<typeof backupV1.BackupService>;
  dbKeys: Client<typeof databaseApiKeyV2.DatabaseApiKeyService>;
  auth: Client<typeof authV1.AuthService>;
  iam: Client<typeof iamV1.IAMService>;
  account: Client<typeof accountV1.AccountService>;
}

export function clients(plane: CloudPlane): Clients {
  const transport = createGrpcTransport({ baseUrl: plane.cp.url, nodeOptions: { ca: plane.tls!.ca } });
  const of = <S extends DescService>(service: S) => createClient(service, transport);
  return {
    hybrid: of(hybridV1.HybridCloudService),
    cluster: of(clusterV1.ClusterService),
    backup: of(backupV1.BackupService),
    dbKeys: of(databaseApiKeyV2.DatabaseApiKeyService),
    auth: of(authV1.AuthService),
    iam: of(iamV1.IAMService),
    account: of(accountV1.AccountService),
  };
}

/** A's objects by kind (ids). */
export interface AObjects {
  environment: string;
  cluster: string;
  backup: string;
  schedule: string;
  restore: string;
  databaseApiKey: string;
  managementKey: string;
  role: string;
  invite: string;
  member: string;
}

/** Account B: signed up (approved), its owner user, and an Owner key. */
export async function accountB(plane: CloudPlane): Promise<{ accountId: string; key: string }> {
  const db = plane.cp.store.db;
  const now = () => plane.clock.now;
  const user = await insertUser(db, `b-owner-${plane.clock.now}@example.test`, null, now);
  const account = await db.tx((tx) =>
    createAccountOwnedBy(tx, { name: 'B', companyName: null, companyDomain: null, billing: null, ownerUserId: user.id }, true, now),
  );
  const { key } = await createOwnerKey(db, { accountId: account.id, now });
  return { accountId: account.id, key };
}

async function resourcesOfA(plane: CloudPlane, c: Clients, accountId: string) {
  const headers = { headers: plane.auth() };
  const store = plane.cp.store;
  const region = await store.createRegion(
    parseRegionInput({ name: 'a-env', namespace: 'ns-a', agentVersion: '0.1.0', operatorVersion: '0.1.0' }, store.defaults),
  );
  await store.recordStatus(region.id, { clusters: [], agentPublicKey: generateSealingKeyPair().publicKey });
  const cluster = await insertClusterNamedById(store.db, region, { name: 'a-cluster', spec: storedSpec() }, () => null);
  const backup = (await c.backup.createBackup({ backup: { accountId, clusterId: cluster, displayName: 'a' } }, headers)).backup!.id;
  const schedule = (await c.backup.createBackupSchedule({ backupSchedule: { accountId, clusterId: cluster, schedule: '@daily' } }, headers)).backupSchedule!.id;
  await c.backup.restoreBackup({ accountId, backupId: backup }, headers);
  const restore = (await c.backup.listBackupRestores({ accountId, clusterId: cluster }, headers)).items[0]!.id;
  const databaseApiKey = (await c.dbKeys.createDatabaseApiKey({ databaseApiKey: { accountId, clusterId: cluster, name: 'a-key' } }, headers)).databaseApiKey!
    .id;
  return { environment: region.id, cluster, backup, schedule, restore, databaseApiKey };
}

/** One object of every kind in A (the plane's first account), made as its key's API clients make them. */
export async function objectsOfA(plane: CloudPlane, c: Clients): Promise<AObjects> {
  const accountId = plane.cp.accountId;
  const headers = { headers: plane.auth() };
  const resources = await resourcesOfA(plane, c, accountId);
  const managementKey = (await c.auth.createManagementKey({ managementKey: { accountId } }, headers)).managementKey!.id;
  const role = (await c.iam.createRole({ role: { accountId, name: 'a-custom-role', permissions: [{ value: 'read:clusters' }] } }, headers)).role!.id;
  const invite = (await c.account.createAccountInvite({ accountInvite: { accountId, userEmail: 'a-invitee@example.test' } }, headers)).accountInvite!.id;
  const member = await insertUser(plane.cp.store.db, 'a-member@example.test', null, () => plane.clock.now);
  await addMember(plane.cp.store.db, accountId, member.id, [], () => plane.clock.now);
  return { ...resources, managementKey, role, invite, member: member.id };
}

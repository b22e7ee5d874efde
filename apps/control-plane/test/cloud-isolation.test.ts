// Nothing crosses accounts: B's key, asking in B's name, gets NotFound for every id of A's
// objects (never PermissionDenied, which would confirm they exist), changes nothing, and none
// of B's lists shows any of them.
import { Code, type ConnectError } from '@connectrpc/connect';
import { beforeAll, describe, expect, it } from 'vitest';
import { cloudPlane, failure, type CloudPlane, type Dialect } from './support/cloud.ts';
import { everyRow } from './support/database-api-keys.ts';
import { accountB, clients, objectsOfA, type AObjects, type Clients } from './support/isolation.ts';

type Calls = Array<[string, () => Promise<unknown>]>;

/** Calls of B (its key, its account id) naming A's objects, by kind. */
function resourceCalls(c: Clients, a: AObjects, b: string, headers: { headers: Record<string, string> }): Calls {
  return [
    ['get environment', () => c.hybrid.getHybridCloudEnvironment({ accountId: b, hybridCloudEnvironmentId: a.environment }, headers)],
    [
      'update environment',
      () =>
        c.hybrid.updateHybridCloudEnvironment(
          { hybridCloudEnvironment: { accountId: b, id: a.environment, name: 'x', configuration: { namespace: 'x' } } },
          headers,
        ),
    ],
    ['delete environment', () => c.hybrid.deleteHybridCloudEnvironment({ accountId: b, hybridCloudEnvironmentId: a.environment }, headers)],
    ['bootstrap environment', () => c.hybrid.generateBootstrapCommands({ accountId: b, hybridCloudEnvironmentId: a.environment }, headers)],
    ['get cluster', () => c.cluster.getCluster({ accountId: b, clusterId: a.cluster }, headers)],
    ['update cluster', () => c.cluster.updateCluster({ cluster: { accountId: b, id: a.cluster, name: 'x' } }, headers)],
    ['delete cluster', () => c.cluster.deleteCluster({ accountId: b, clusterId: a.cluster }, headers)],
    ['restart cluster', () => c.cluster.restartCluster({ accountId: b, clusterId: a.cluster }, headers)],
    ['get backup', () => c.backup.getBackup({ accountId: b, backupId: a.backup }, headers)],
    ['update backup', () => c.backup.updateBackup({ backup: { accountId: b, id: a.backup, displayName: 'x' } }, headers)],
    ['delete backup', () => c.backup.deleteBackup({ accountId: b, backupId: a.backup }, headers)],
    ['restore backup', () => c.backup.restoreBackup({ accountId: b, backupId: a.backup }, headers)],
    ['cluster from backup', () => c.cluster.createClusterFromBackup({ accountId: b, backupId: a.backup, clusterName: 'stolen' }, headers)],
    ['back up A cluster', () => c.backup.createBackup({ backup: { accountId: b, clusterId: a.cluster, displayName: 'x' } }, headers)],
    ['schedule A cluster', () => c.backup.createBackupSchedule({ backupSchedule: { accountId: b, clusterId: a.cluster, schedule: '@daily' } }, headers)],
    ['get schedule', () => c.backup.getBackupSchedule({ accountId: b, backupScheduleId: a.schedule }, headers)],
    [
      'update schedule',
      () => c.backup.updateBackupSchedule({ backupSchedule: { accountId: b, id: a.schedule, clusterId: a.cluster, schedule: '@hourly' } }, headers),
    ],
    ['delete schedule', () => c.backup.deleteBackupSchedule({ accountId: b, backupScheduleId: a.schedule }, headers)],
    ['database key of A cluster', () => c.dbKeys.createDatabaseApiKey({ databaseApiKey: { accountId: b, clusterId: a.cluster, name: 'stolen key' } }, headers)],
    ['delete database key', () => c.dbKeys.deleteDatabaseApiKey({ accountId: b, clusterId: a.cluster, databaseApiKeyId: a.databaseApiKey }, headers)],
    ['list database keys of A cluster', () => c.dbKeys.listDatabaseApiKeys({ accountId: b, clusterId: a.cluster }, headers)],
  ];
}

function peopleCalls(c: Clients, a: AObjects, b: string, headers: { headers: Record<string, string> }): Calls {
  return [
    ['delete management key', () => c.auth.deleteManagementKey({ accountId: b, managementKeyId: a.managementKey }, headers)],
    ['get invite', () => c.account.getAccountInvite({ accountId: b, inviteId: a.invite }, headers)],
    ['delete invite', () => c.account.deleteAccountInvite({ accountId: b, inviteId: a.invite }, headers)],
    ['get member', () => c.account.getAccountMember({ accountId: b, userId: a.member }, headers)],
    ['delete member', () => c.account.deleteAccountMember({ accountId: b, userId: a.member }, headers)],
  ];
}

function roleCalls(c: Clients, a: AObjects, b: string, headers: { headers: Record<string, string> }): Calls {
  return [
    ['get role', () => c.iam.getRole({ accountId: b, roleId: a.role }, headers)],
    ['update role', () => c.iam.updateRole({ role: { accountId: b, id: a.role, name: 'stolen', permissions: [{ value: 'read:clusters' }] } }, headers)],
    ['delete role', () => c.iam.deleteRole({ accountId: b, roleId: a.role }, headers)],
    ['users of role', () => c.iam.listRoleUsers({ accountId: b, roleId: a.role }, headers)],
  ];
}

/** Every list B can ask for, as JSON text (searched for A's ids). */
async function listsOfB(c: Clients, b: string, headers: { headers: Record<string, string> }): Promise<string[]> {
  const lists: Array<Promise<unknown>> = [
    c.hybrid.listHybridCloudEnvironments({ accountId: b }, headers),
    c.cluster.listClusters({ accountId: b }, headers),
    c.backup.listBackups({ accountId: b }, headers),
    c.backup.listBackupSchedules({ accountId: b }, headers),
    c.backup.listBackupRestores({ accountId: b }, headers),
    c.auth.listManagementKeys({ accountId: b }, headers),
    c.dbKeys.listDatabaseApiKeys({ accountId: b }, headers),
    c.account.listAccountInvites({ accountId: b }, headers),
    c.account.listAccountMembers({ accountId: b }, headers),
    c.account.listAccounts({}, headers),
    c.iam.listRoles({ accountId: b }, headers),
  ];
  return (await Promise.all(lists)).map((answer) => JSON.stringify(answer, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
}

async function expectNotFound(plane: CloudPlane, calls: Calls): Promise<void> {
  const before = await everyRow(plane);
  for (const [what, call] of calls) expect([what, ((await failure(call())) as ConnectError).code]).toEqual([what, Code.NotFound]);
  expect(await everyRow(plane)).toEqual(before);
}

describe.each(['sqlite', 'postgres'] as const)('account isolation on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);
  let c: Clients;
  let a: AObjects;
  let b: { accountId: string; key: string };
  const asB = () => ({ headers: plane.auth(b.key) });
  /** B's lists narrowed to a cluster, as JSON or the error code. */
  const answers = async (clusterId: string) =>
    Promise.all(
      [
        c.backup.listBackups({ accountId: b.accountId, clusterId }, asB()),
        c.backup.listBackupRestores({ accountId: b.accountId, clusterId }, asB()),
        c.backup.listBackupSchedules({ accountId: b.accountId, clusterId }, asB()),
        c.dbKeys.listDatabaseApiKeys({ accountId: b.accountId, clusterId }, asB()),
      ].map((call) =>
        call.then(
          (answer) => JSON.stringify(answer),
          (error: ConnectError) => `${error.code}`,
        ),
      ),
    );
  beforeAll(async () => {
    c = clients(plane);
    a = await objectsOfA(plane, c);
    b = await accountB(plane);
  });

  it("B's key gets NotFound for A's environment, cluster, backup, schedule and database key ids", async () => {
    await expectNotFound(plane, resourceCalls(c, a, b.accountId, asB()));
  });

  it("B's key gets NotFound for A's management key, invite and member ids", async () => {
    await expectNotFound(plane, peopleCalls(c, a, b.accountId, asB()));
  });

  it("B's key gets NotFound for A's role ids", async () => {
    expect(a.role, 'A has a custom role (IAMService.CreateRole)').not.toBe('');
    await expectNotFound(plane, roleCalls(c, a, b.accountId, asB()));
    const roles = JSON.stringify(await c.iam.listRoles({ accountId: b.accountId }, asB()), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    expect(roles).not.toContain(a.role);
  });

  it("B's lists narrowed to A's cluster answer as for a cluster that does not exist", async () => {
    const nowhere = '00000000-0000-4000-8000-000000000000';
    const theirs = await answers(a.cluster);
    expect(theirs.join('\n')).not.toContain(a.backup);
    expect(theirs).toEqual(await answers(nowhere));
  });

  it("none of B's lists shows any of A's objects; A's lists show them", async () => {
    const ids = Object.values(a).filter((id) => id !== '');
    for (const list of await listsOfB(c, b.accountId, asB())) for (const id of ids) expect(list).not.toContain(id);
    const mine = (await listsOfB(c, plane.cp.accountId, { headers: plane.auth() })).join('\n');
    for (const [kind, id] of Object.entries(a)) if (id !== '') expect([kind, mine.includes(id)]).toEqual([kind, true]);
  });
});

const env = (accountId: string) => ({ hybridCloudEnvironment: { accountId, name: 'same-name', configuration: { namespace: 'qhc' } } });

describe.each(['sqlite', 'postgres'] as const)('environment names per account on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('refuses a second environment of one name in an account, naming it; another account may use it', async () => {
    const c = clients(plane);
    const b = await accountB(plane);
    await c.hybrid.createHybridCloudEnvironment(env(plane.cp.accountId), { headers: plane.auth() });
    const again = (await failure(c.hybrid.createHybridCloudEnvironment(env(plane.cp.accountId), { headers: plane.auth() }))) as ConnectError;
    expect([again.code, again.rawMessage]).toEqual([Code.AlreadyExists, 'an environment named "same-name" already exists']);
    const theirs = await c.hybrid.createHybridCloudEnvironment(env(b.accountId), { headers: plane.auth(b.key) });
    expect(theirs.hybridCloudEnvironment).toMatchObject({ accountId: b.accountId, name: 'same-name' });
  });
});

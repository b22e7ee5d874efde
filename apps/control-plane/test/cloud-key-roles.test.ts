// Roles in use: a custom role grants exactly its permissions, a key never gets more than its maker
// holds, the catalogue is exactly what the protos ask for, and an account awaiting approval may
// look but not change its resources.
import { getOption } from '@bufbuild/protobuf';
import { Code, createClient } from '@connectrpc/connect';
import { authV1, clusterV1, commonV1, hybridV1, qhcV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { CLOUD_SERVICES } from '../src/cloud/services.ts';
import { requirementOf } from '../src/iam/method-permissions.ts';
import { PERMISSIONS } from '../src/iam/permissions.ts';
import { cloudPlane, failure, type CloudPlane } from './support/cloud.ts';
import { callWithAccount, grpcTransport, iamClient, keyRoleClient, keyWithRoles, roleIds } from './support/roles.ts';
import { sqlOn } from './support/sql.ts';
import { addMember, insertUser } from '../src/repositories/users.ts';

const codeAndMessage = (error: unknown) => [(error as { code: Code }).code, (error as { rawMessage: string }).rawMessage];

async function customRole(plane: CloudPlane, name: string, permissions: string[]): Promise<string> {
  const made = await iamClient(plane).createRole(
    { role: { accountId: plane.cp.accountId, name, permissions: permissions.map((value) => ({ value })) } },
    { headers: plane.auth() },
  );
  return made.role!.id;
}

describe('a custom role with exactly read:clusters', () => {
  const plane = cloudPlane('sqlite');

  it('lists clusters and is refused every other rpc that needs a permission', async () => {
    const key = await keyWithRoles(plane, [await customRole(plane, 'Cluster reader', ['read:clusters'])]);
    const transport = grpcTransport(plane);
    const allowed: string[] = [];
    for (const { service } of CLOUD_SERVICES)
      for (const method of service.methods) {
        const { permissions } = requirementOf(method);
        if (permissions.length === 0) continue;
        const answer = await callWithAccount(transport, method, plane.cp.accountId, key);
        if (answer.code !== Code.PermissionDenied) allowed.push(`${method.name}:${permissions.join('|')}`);
      }
    expect(allowed).toContain('ListClusters:read:clusters');
    // Everything let through asks read:clusters (alone, or as one of several any of which will do).
    expect(allowed.filter((entry) => !entry.split(':').slice(1).join(':').split('|').includes('read:clusters'))).toEqual([]);
  });

  it('names a permission outside the catalogue and refuses changing a built-in role', async () => {
    const iam = iamClient(plane);
    const accountId = plane.cp.accountId;
    const bad = await failure(
      iam.createRole(
        { role: { accountId, name: 'Odd role', permissions: [{ value: 'read:clusters' }, { value: 'fly:clusters' }] } },
        { headers: plane.auth() },
      ),
    );
    expect(codeAndMessage(bad)[0]).toBe(Code.InvalidArgument);
    expect(codeAndMessage(bad)[1]).toMatch(/^role\.permissions\[1\]: "fly:clusters" is not a permission/);
    const short = await failure(iam.createRole({ role: { accountId, name: 'abc' } }, { headers: plane.auth() }));
    expect(codeAndMessage(short)).toEqual([Code.InvalidArgument, 'role.name: must be 4 to 64 characters, got 3']);
    const viewer = (await roleIds(plane)).get('Viewer')!;
    const change = await failure(iam.updateRole({ role: { accountId, id: viewer, name: 'Watcher' } }, { headers: plane.auth() }));
    expect(codeAndMessage(change)).toEqual([Code.FailedPrecondition, `role ${viewer} (Viewer) is a built-in role and cannot be changed`]);
  });
});

describe('keys made by a key holding less than an Owner', () => {
  const plane = cloudPlane('sqlite');

  it('a Viewer key makes no key; a Viewer that may make keys makes none beyond Viewer', async () => {
    const ids = await roleIds(plane);
    const accountId = plane.cp.accountId;
    const viewerKey = await keyWithRoles(plane, [ids.get('Viewer')!]);
    const refused = await failure(
      createClient(authV1.AuthService, grpcTransport(plane)).createManagementKey({ managementKey: { accountId } }, { headers: plane.auth(viewerKey) }),
    );
    expect(codeAndMessage(refused)).toEqual([
      Code.PermissionDenied,
      'qdrant.cloud.auth.v1.AuthService/CreateManagementKey needs the permission write:management_keys',
    ]);
    const keyMaker = await customRole(plane, 'Key maker', ['write:management_keys', 'read:management_keys']);
    const maker = await keyWithRoles(plane, [ids.get('Viewer')!, keyMaker]);
    const owner = await failure(keyWithRoles(plane, [ids.get('Owner')!], maker));
    expect(codeAndMessage(owner)[0]).toBe(Code.PermissionDenied);
    expect(codeAndMessage(owner)[1]).toMatch(/^the roles grant the permissions .*delete:clusters.*, which the caller does not hold$/);
    const made = await keyWithRoles(plane, [ids.get('Viewer')!], maker);
    const effective = await iamClient(plane).listEffectivePermissions({ accountId }, { headers: plane.auth(made) });
    const viewer = (await iamClient(plane).getRole({ accountId, roleId: ids.get('Viewer')! }, { headers: plane.auth() })).role!;
    expect(effective.permissions.map((p) => p.value).toSorted()).toEqual(viewer.permissions.map((p) => p.value).toSorted());
  });

  it('AuthService.CreateManagementKey gives the new key its maker’s roles', async () => {
    const ids = await roleIds(plane);
    const accountId = plane.cp.accountId;
    const keysRole = await customRole(plane, 'Editor keys', ['write:management_keys']);
    const editorKey = await keyWithRoles(plane, [ids.get('Editor')!, keysRole]);
    const made = await createClient(authV1.AuthService, grpcTransport(plane)).createManagementKey(
      { managementKey: { accountId } },
      { headers: plane.auth(editorKey) },
    );
    const roles = await keyRoleClient(plane).listManagementKeyRoles({ accountId, managementKeyId: made.managementKey!.id }, { headers: plane.auth() });
    expect(roles.roleIds.toSorted()).toEqual([ids.get('Editor')!, keysRole].toSorted());
    const cluster = createClient(clusterV1.ClusterService, grpcTransport(plane));
    const denied = await failure(cluster.deleteCluster({ accountId, clusterId: crypto.randomUUID() }, { headers: plane.auth(made.managementKey!.key) }));
    expect(codeAndMessage(denied)).toEqual([
      Code.PermissionDenied,
      'qdrant.cloud.cluster.v1.ClusterService/DeleteCluster needs the permission delete:clusters',
    ]);
  });
});

describe('an Admin handing out what only an Owner holds', () => {
  const plane = cloudPlane('sqlite');

  it('cannot make a role granting it, nor give a member one an Owner made', async () => {
    const ids = await roleIds(plane);
    const accountId = plane.cp.accountId;
    const admin = await keyWithRoles(plane, [ids.get('Admin')!]);
    const iam = iamClient(plane);
    const role = { accountId, name: 'Account changer', permissions: [{ value: 'write:account' }, { value: 'read:clusters' }] };
    const made = await failure(iam.createRole({ role }, { headers: plane.auth(admin) }));
    expect(codeAndMessage(made)).toEqual([
      Code.PermissionDenied,
      'role.permissions: the role would grant the permission write:account, which the caller does not hold',
    ]);
    const ownersRole = await customRole(plane, role.name, ['write:account']);
    const userId = (await insertUser(plane.cp.store.db, 'lin@example.com', null, () => plane.clock.now)).id;
    await addMember(plane.cp.store.db, accountId, userId, [], () => plane.clock.now);
    const given = await failure(iam.assignUserRoles({ accountId, userId, roleIdsToAdd: [ownersRole] }, { headers: plane.auth(admin) }));
    expect(codeAndMessage(given)).toEqual([
      Code.PermissionDenied,
      'role_ids_to_add: the roles grant the permission write:account, which the caller does not hold',
    ]);
  });
});

describe('the permission catalogue', () => {
  it('is every permission the served protos name, plus qhc’s own, and nothing else', () => {
    // SsoService is served by another issue-22 change (SSO); once it is in CLOUD_SERVICES this list goes.
    const coming = [qhcV1.SsoService];
    const services = [...CLOUD_SERVICES.map((entry) => entry.service), ...coming];
    const named = services.flatMap((service) => service.methods.flatMap((method) => getOption(method, commonV1.permissions)));
    const expected = new Set([...named.flatMap((entry) => entry.split(',')).filter((p) => p !== ''), 'read:audit_log', 'read:sso', 'write:sso', 'delete:sso']);
    expect([...PERMISSIONS].toSorted()).toEqual([...expected].toSorted());
  });
});

describe('an account awaiting approval', () => {
  const plane = cloudPlane('sqlite');
  const setStatus = (status: string, reason: string | null) =>
    sqlOn(plane.cp.store.db).run('UPDATE accounts SET status = $1, status_reason = $2 WHERE id = $3', [status, reason, plane.cp.accountId]);

  it('may look but not change its resources, pending and rejected', async () => {
    const accountId = plane.cp.accountId;
    const hybrid = createClient(hybridV1.HybridCloudService, grpcTransport(plane));
    const create = () =>
      hybrid.createHybridCloudEnvironment(
        { hybridCloudEnvironment: { accountId, name: 'waiting', configuration: { namespace: 'qdrant' } } },
        { headers: plane.auth() },
      );
    try {
      await setStatus('pending', null);
      expect(codeAndMessage(await failure(create()))).toEqual([
        Code.FailedPrecondition,
        `account ${accountId} is pending approval by an instance administrator`,
      ]);
      expect((await hybrid.listHybridCloudEnvironments({ accountId }, { headers: plane.auth() })).items).toEqual([]);
      await setStatus('rejected', 'not a customer');
      expect(codeAndMessage(await failure(create()))).toEqual([Code.FailedPrecondition, `account ${accountId} was rejected: not a customer`]);
    } finally {
      await setStatus('approved', null);
    }
    expect((await create()).hybridCloudEnvironment!.name).toBe('waiting');
  });
});

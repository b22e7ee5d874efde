// IAMService's people, over gRPC with management keys: the account's members, their roles and
// who may change them; and the user-session seam a console sign-in authenticates through.
import { Code } from '@connectrpc/connect';
import { createLogger } from '@qhc/kube';
import { describe, expect, it } from 'vitest';
import { authenticateUserSession } from '../src/cloud/auth.ts';
import type { CloudDeps } from '../src/cloud/context.ts';
import { createUserSession } from '../src/repositories/user-sessions.ts';
import { addMember, insertUser } from '../src/repositories/users.ts';
import { csrfTokenOf } from '../src/sessions.ts';
import { cloudPlane, failure, type CloudPlane, type Dialect } from './support/cloud.ts';
import { iamClient, keyWithRoles, roleIds } from './support/roles.ts';

const codeAndMessage = (error: unknown) => [(error as { code: Code }).code, (error as { rawMessage: string }).rawMessage];

async function member(plane: CloudPlane, email: string, roles: string[] = []): Promise<string> {
  const now = () => plane.clock.now;
  const user = await insertUser(plane.cp.store.db, email, null, now);
  await addMember(plane.cp.store.db, plane.cp.accountId, user.id, roles, now);
  return user.id;
}

describe.each(['sqlite', 'postgres'] as const)('members and their roles on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it('lists members, their roles and a role’s members; the Base role stays; the Owner role moves only by an Owner', async () => {
    const iam = iamClient(plane);
    const accountId = plane.cp.accountId;
    const ids = await roleIds(plane);
    const ada = await member(plane, 'Ada@Example.com', [ids.get('Viewer')!]);
    expect((await iam.listUsers({ accountId }, { headers: plane.auth() })).items.map((u) => u.email)).toEqual(['ada@example.com']);
    const names = async () => (await iam.listUserRoles({ accountId, userId: ada }, { headers: plane.auth() })).roles.map((r) => r.name).toSorted();
    expect(await names()).toEqual(['Base', 'Viewer']);
    await iam.assignUserRoles({ accountId, userId: ada, roleIdsToAdd: [ids.get('Editor')!], roleIdsToDelete: [ids.get('Viewer')!] }, { headers: plane.auth() });
    expect(await names()).toEqual(['Base', 'Editor']);
    expect((await iam.listRoleUsers({ accountId, roleId: ids.get('Editor')! }, { headers: plane.auth() })).users.map((u) => u.id)).toEqual([ada]);
    const base = await failure(iam.assignUserRoles({ accountId, userId: ada, roleIdsToDelete: [ids.get('Base')!] }, { headers: plane.auth() }));
    expect(codeAndMessage(base)).toEqual([Code.FailedPrecondition, "role_ids_to_delete[0]: the Base role is every member's and cannot be removed"]);
    const admin = await keyWithRoles(plane, [ids.get('Admin')!]);
    const owner = await failure(iam.assignUserRoles({ accountId, userId: ada, roleIdsToAdd: [ids.get('Owner')!] }, { headers: plane.auth(admin) }));
    expect(codeAndMessage(owner)).toEqual([Code.PermissionDenied, 'role_ids_to_add: only an Owner gives or takes the Owner role']);
    await iam.assignUserRoles({ accountId, userId: ada, roleIdsToAdd: [ids.get('Owner')!] }, { headers: plane.auth() });
    expect(await names()).toEqual(['Base', 'Editor', 'Owner']);
  });

  it('answers a stranger as no member, and a key asking for its user that a key has none', async () => {
    const iam = iamClient(plane);
    const accountId = plane.cp.accountId;
    const stranger = (await insertUser(plane.cp.store.db, 'stranger@example.com', null, () => plane.clock.now)).id;
    const roles = await failure(iam.listUserRoles({ accountId, userId: stranger }, { headers: plane.auth() }));
    expect(codeAndMessage(roles)).toEqual([Code.NotFound, `user ${stranger} is not a member of account ${accountId}`]);
    const self = await failure(iam.getAuthenticatedUser({}, { headers: plane.auth() }));
    expect(codeAndMessage(self)).toEqual([
      Code.FailedPrecondition,
      'GetAuthenticatedUser is about a signed-in person: a management key has no user (sign in to the console)',
    ]);
    const profile = await failure(iam.getUserProfile({}, { headers: plane.auth() }));
    expect(codeAndMessage(profile)[0]).toBe(Code.Unimplemented);
  });

  it('authenticates a person’s session in its account with its CSRF token', async () => {
    const userId = await member(plane, 'grace@example.com');
    const deps = { db: plane.cp.store.db, now: () => plane.clock.now, logger: createLogger({ level: 'error' }) } as unknown as CloudDeps;
    const { secret, id } = await createUserSession(plane.cp.store.db, userId, plane.cp.accountId, 3600, deps.now);
    const identity = await authenticateUserSession(deps, secret, csrfTokenOf(secret));
    expect(identity).toEqual({ accountId: plane.cp.accountId, principal: { kind: 'user', id: userId, email: 'grace@example.com', sessionId: id } });
    const forged = await failure(authenticateUserSession(deps, secret, 'forged'));
    expect(codeAndMessage(forged)[0]).toBe(Code.Unauthenticated);
  });
});

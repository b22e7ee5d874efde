import { Code, ConnectError, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import type { iamV1 } from '@qhc/cloud-api';
import { checkGrantable } from '../../iam/grantable.ts';
import { ownersOf } from '../../repositories/account-members.ts';
import { rolesOfPrincipal } from '../../iam/principal-roles.ts';
import { ownerRoleId, rolesByIds, roleUsers, userRoleIds, accountMembers, changeUserRoles } from '../../repositories/roles.ts';
import { deleteUserSession } from '../../repositories/user-sessions.ts';
import { isMember, normalEmail, userById, type UserRow } from '../../repositories/users.ts';
import { callerOf, type Caller, type CloudDeps } from '../context.ts';
import { invalid, roleIdsField, uuidField } from '../qhc/fields.ts';
import { cloudSessionCookie } from '../qhc/session-cookie.ts';
import { toPermission, toRole, toUser } from './convert.ts';
import { existingRole } from './role-handlers.ts';

// IAMService's people: the caller themself, the account's members and their roles.

const lower = (ids: readonly string[]) => ids.map((id) => id.toLowerCase());

type UserHandlers = Pick<
  ServiceImpl<typeof iamV1.IAMService>,
  'getAuthenticatedUser' | 'updateUser' | 'listUsers' | 'listEffectivePermissions' | 'listUserRoles' | 'listRoleUsers' | 'assignUserRoles' | 'logoutUser'
>;

/** The caller as a user; a management key is nobody's. */
async function selfOf(deps: CloudDeps, caller: Caller, method: string): Promise<UserRow & { sessionId: string }> {
  const principal = caller.principal;
  if (principal.kind !== 'user')
    throw new ConnectError(`${method} is about a signed-in person: a management key has no user (sign in to the console)`, Code.FailedPrecondition);
  const row = await userById(deps.db, principal.id);
  if (!row) throw new ConnectError('the signed-in user no longer exists', Code.Unauthenticated);
  return { ...row, sessionId: principal.sessionId };
}

/** A member of the caller's account; anyone else is answered as a user that does not exist. */
async function member(deps: CloudDeps, ctx: HandlerContext, id: string): Promise<UserRow> {
  const userId = uuidField('user_id', id);
  const accountId = callerOf(ctx).accountId;
  const row = (await isMember(deps.db, accountId, userId)) ? await userById(deps.db, userId) : undefined;
  if (!row) throw new ConnectError(`user ${userId} is not a member of account ${accountId}`, Code.NotFound);
  return row;
}

/**
 * The roles to add and remove, all of the account: the Base role stays, the Owner role moves only
 * by an Owner's hand, and taking a role away needs what giving it needs (the caller holds all it
 * grants), else a custom role's holder could strip the roles of someone above them.
 */
async function checkAssignment(deps: CloudDeps, caller: Caller, userId: string, req: iamV1.AssignUserRolesRequest): Promise<void> {
  const lists = [
    ['role_ids_to_add', roleIdsField('role_ids_to_add', req.roleIdsToAdd)],
    ['role_ids_to_delete', roleIdsField('role_ids_to_delete', req.roleIdsToDelete)],
  ] as const;
  const owner = await ownerRoleId(deps.db, caller.accountId);
  for (const [field, ids] of lists) {
    const roles = await rolesByIds(deps.db, caller.accountId, ids);
    ids.forEach((id, i) => {
      const role = roles.find((r) => r.id === id);
      if (!role) throw new ConnectError(`${field}[${i}]: role ${id} does not exist`, Code.NotFound);
      if (field === 'role_ids_to_delete' && role.sub_type === 'base')
        throw new ConnectError(`${field}[${i}]: the Base role is every member's and cannot be removed`, Code.FailedPrecondition);
    });
    if (roles.some((r) => r.id === owner) && !(await rolesOfPrincipal(deps.db, caller)).includes(owner))
      throw new ConnectError(`${field}: only an Owner gives or takes the Owner role`, Code.PermissionDenied);
    checkGrantable(
      caller.permissions,
      roles.flatMap((r) => r.permissions),
      `${field}: the roles grant`,
    );
  }
  const [, [, removed]] = lists;
  const owners = await ownersOf(deps.db, caller.accountId);
  if (removed.includes(owner) && !lists[0][1].includes(owner) && owners.length === 1 && owners[0] === userId)
    throw new ConnectError(
      `user ${userId} is the last Owner of account ${caller.accountId}; give another member the Owner role first, or delete the account`,
      Code.FailedPrecondition,
    );
}

export function userHandlers(deps: CloudDeps): UserHandlers {
  return {
    async getAuthenticatedUser(req, ctx) {
      const caller = callerOf(ctx);
      const self = await selfOf(deps, caller, 'GetAuthenticatedUser');
      if (req.userId !== undefined && req.userId !== '' && req.userId.toLowerCase() !== self.id)
        throw new ConnectError('user_id: GetAuthenticatedUser answers only for the signed-in user', Code.PermissionDenied);
      return { user: toUser(self, caller.accountId) };
    },
    // Of a user, qhc keeps only the email (sign-in name): nothing else can change through this rpc.
    async updateUser(req, ctx) {
      const caller = callerOf(ctx);
      const self = await selfOf(deps, caller, 'UpdateUser');
      if (!req.user || uuidField('user.id', req.user.id) !== self.id) throw new ConnectError('user.id: a user can update only themself', Code.PermissionDenied);
      if (req.user.email !== '' && normalEmail(req.user.email) !== self.email)
        throw invalid('user.email', 'the email is how the user signs in and cannot be changed');
      return { user: toUser(self, caller.accountId) };
    },
    async listUsers(_req, ctx) {
      const accountId = callerOf(ctx).accountId;
      return { items: (await accountMembers(deps.db, accountId)).map((row) => toUser(row, accountId)) };
    },
    listEffectivePermissions: (_req, ctx) => ({ permissions: [...callerOf(ctx).permissions].toSorted().map(toPermission) }),
    async listUserRoles(req, ctx) {
      const accountId = callerOf(ctx).accountId;
      const user = await member(deps, ctx, req.userId);
      return { roles: (await rolesByIds(deps.db, accountId, await userRoleIds(deps.db, accountId, user.id))).map(toRole) };
    },
    async listRoleUsers(req, ctx) {
      const role = await existingRole(deps, ctx, 'role_id', req.roleId);
      return { users: (await roleUsers(deps.db, role.account_id, role.id)).map((row) => toUser(row, role.account_id)) };
    },
    async assignUserRoles(req, ctx) {
      const caller = callerOf(ctx);
      const user = await member(deps, ctx, req.userId);
      await checkAssignment(deps, caller, user.id, req);
      await changeUserRoles(deps.db, caller.accountId, user.id, lower(req.roleIdsToAdd), lower(req.roleIdsToDelete));
      return {};
    },
    async logoutUser(_req, ctx) {
      const self = await selfOf(deps, callerOf(ctx), 'LogoutUser');
      await deleteUserSession(deps.db, self.sessionId);
      ctx.responseHeader.append('set-cookie', cloudSessionCookie('', { secure: deps.sessions.secure, maxAgeSeconds: 0 }));
      return {};
    },
  };
}

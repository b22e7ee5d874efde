import { Code, ConnectError, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import type { iamV1 } from '@qhc/cloud-api';
import { checkGrantable } from '../../iam/grantable.ts';
import { PERMISSIONS } from '../../iam/permissions.ts';
import { deleteRole, insertRole, listRoles, roleById, roleByName, updateRole, type RoleWithPermissions } from '../../repositories/roles.ts';
import { callerOf, type CloudDeps } from '../context.ts';
import { uuidField } from '../qhc/fields.ts';
import { toPermission, toRole } from './convert.ts';
import { checkChangeable, newRoleFields, updatedRoleFields } from './role-fields.ts';

// IAMService's roles: the catalogue, the account's roles, and changing its custom ones. The
// interceptor has checked the account and the caller's permission.

/** Custom roles an account may have: every call's permissions are read through them. */
export const MAX_CUSTOM_ROLES = 200;

type RoleHandlers = Pick<ServiceImpl<typeof iamV1.IAMService>, 'listPermissions' | 'listRoles' | 'getRole' | 'createRole' | 'updateRole' | 'deleteRole'>;

/** A role of the caller's account; another account's role is answered as one that does not exist. */
export async function existingRole(deps: CloudDeps, ctx: HandlerContext, field: string, id: string): Promise<RoleWithPermissions> {
  const roleId = uuidField(field, id);
  const role = await roleById(deps.db, callerOf(ctx).accountId, roleId);
  if (!role) throw new ConnectError(`role ${roleId} does not exist`, Code.NotFound);
  return role;
}

async function checkNameFree(deps: CloudDeps, accountId: string, name: string, except?: string): Promise<void> {
  const taken = await roleByName(deps.db, accountId, name);
  if (taken && taken.id !== except) throw new ConnectError(`role.name: the account already has a role named ${JSON.stringify(name)}`, Code.AlreadyExists);
}

export function roleHandlers(deps: CloudDeps): RoleHandlers {
  return {
    listPermissions: () => ({ permissions: PERMISSIONS.map(toPermission) }),
    async listRoles(_req, ctx) {
      return { items: (await listRoles(deps.db, callerOf(ctx).accountId)).map(toRole) };
    },
    async getRole(req, ctx) {
      return { role: toRole(await existingRole(deps, ctx, 'role_id', req.roleId)) };
    },
    async createRole(req, ctx) {
      const accountId = callerOf(ctx).accountId;
      const fields = newRoleFields(req.role!);
      checkGrantable(callerOf(ctx).permissions, fields.permissions, 'role.permissions: the role would grant');
      await checkNameFree(deps, accountId, fields.name);
      const custom = (await listRoles(deps.db, accountId)).filter((role) => role.type === 'custom').length;
      if (custom >= MAX_CUSTOM_ROLES)
        throw new ConnectError(`the account has ${custom} custom roles, the most it may have; delete one first`, Code.FailedPrecondition);
      return { role: toRole(await insertRole(deps.db, accountId, fields, deps.now)) };
    },
    async updateRole(req, ctx) {
      const accountId = callerOf(ctx).accountId;
      const stored = await existingRole(deps, ctx, 'role.id', req.role!.id);
      checkChangeable(stored, 'changed');
      const fields = updatedRoleFields(stored, req.role!, req.updateMask?.paths);
      checkGrantable(callerOf(ctx).permissions, fields.permissions, 'role.permissions: the role would grant');
      await checkNameFree(deps, accountId, fields.name, stored.id);
      return { role: toRole((await updateRole(deps.db, accountId, stored.id, fields, deps.now))!) };
    },
    async deleteRole(req, ctx) {
      const role = await existingRole(deps, ctx, 'role_id', req.roleId);
      checkChangeable(role, 'deleted');
      await deleteRole(deps.db, role.account_id, role.id);
      return {};
    },
  };
}

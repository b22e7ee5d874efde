import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import { authV1, type qhcV1 } from '@qhc/cloud-api';
import { createManagementKey, listManagementKeys } from '../../repositories/management-keys.ts';
import { makerOf } from '../../iam/effective-permissions.ts';
import { checkGrantable } from '../../iam/grantable.ts';
import { keyRoleIds, rolesByIds } from '../../repositories/roles.ts';
import { callerOf, type Caller, type CloudDeps } from '../context.ts';
import { invalid, roleIdsField, uuidField } from './fields.ts';

// qhc.v1.ManagementKeyRoleService: keys made with chosen roles, never granting more than their
// maker holds (a Viewer's key cannot become an Owner's), and a key's roles.

/** The account's roles of the request; refused when they grant what the caller lacks. */
async function grantableRoles(deps: CloudDeps, caller: Caller, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) throw invalid('role_ids', 'name at least one role (IAMService.ListRoles)');
  const wanted = roleIdsField('role_ids', ids);
  const roles = await rolesByIds(deps.db, caller.accountId, wanted);
  wanted.forEach((id, i) => {
    if (!roles.some((role) => role.id === id)) throw new ConnectError(`role_ids[${i}]: role ${id} does not exist`, Code.NotFound);
  });
  checkGrantable(
    caller.permissions,
    roles.flatMap((role) => role.permissions),
    'the roles grant',
  );
  return wanted;
}

export function managementKeyRoleService(deps: CloudDeps): ServiceImpl<typeof qhcV1.ManagementKeyRoleService> {
  return {
    async createManagementKeyWithRoles(req, ctx) {
      const caller = callerOf(ctx);
      const roleIds = await grantableRoles(deps, caller, req.roleIds);
      const { row, key } = await createManagementKey(deps.db, { accountId: caller.accountId, roleIds, now: deps.now, createdBy: makerOf(caller.principal) });
      const managementKey = create(authV1.ManagementKeySchema, {
        id: row.id,
        accountId: row.account_id,
        createdAt: timestampFromDate(new Date(row.created_at)),
        prefix: row.prefix,
        key,
      });
      return { managementKey };
    },
    async listManagementKeyRoles(req, ctx) {
      const accountId = callerOf(ctx).accountId;
      const id = uuidField('management_key_id', req.managementKeyId);
      // Another account's key, or a deleted one, is answered as one that does not exist.
      if (!(await listManagementKeys(deps.db, accountId)).some((row) => row.id === id))
        throw new ConnectError(`management key ${id} does not exist`, Code.NotFound);
      return { roleIds: await keyRoleIds(deps.db, id) };
    },
  };
}

import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import { authV1 } from '@qhc/cloud-api';
import { createManagementKey, deleteManagementKey, listManagementKeys, type ManagementKeyRow } from '../repositories/management-keys.ts';
import { makerOf } from '../iam/effective-permissions.ts';
import { rolesOfPrincipal } from '../iam/principal-roles.ts';
import { callerOf, type CloudDeps } from './context.ts';
import { isUuid } from './auth.ts';

// qdrant.cloud.auth.v1.AuthService: an account's management keys. The interceptor has checked
// the request's account is the caller's before any of these run.

const toManagementKey = (row: ManagementKeyRow, key = '') =>
  create(authV1.ManagementKeySchema, {
    id: row.id,
    accountId: row.account_id,
    createdAt: timestampFromDate(new Date(row.created_at)),
    prefix: row.prefix,
    key,
  });

export function authService(deps: CloudDeps): ServiceImpl<typeof authV1.AuthService> {
  return {
    async listManagementKeys(req) {
      const rows = await listManagementKeys(deps.db, req.accountId.toLowerCase());
      return { items: rows.map((row) => toManagementKey(row)) };
    },
    // Only the account is read from the request: the id, prefix, time and secret are the server's;
    // the key holds its creator's roles as they are now (a key's, or the user's in the account).
    async createManagementKey(_req, ctx) {
      const caller = callerOf(ctx);
      const roleIds = await rolesOfPrincipal(deps.db, caller);
      const { row, key } = await createManagementKey(deps.db, { accountId: caller.accountId, roleIds, now: deps.now, createdBy: makerOf(caller.principal) });
      return { managementKey: toManagementKey(row, key) };
    },
    async deleteManagementKey(req, ctx) {
      const id = req.managementKeyId;
      if (!isUuid(id)) throw new ConnectError(`management_key_id: ${JSON.stringify(id.slice(0, 64))} is not a UUID`, Code.InvalidArgument);
      // Another account's key is answered as one that does not exist.
      if (!(await deleteManagementKey(deps.db, callerOf(ctx).accountId, id.toLowerCase(), deps.now)))
        throw new ConnectError(`management key ${id} does not exist`, Code.NotFound);
      return {};
    },
  };
}

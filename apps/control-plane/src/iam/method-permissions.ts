import { getOption, hasOption, type DescMethod } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { commonV1 } from '@qhc/cloud-api';
import { RESOURCE_PERMISSIONS } from './permissions.ts';

// What an rpc asks of its caller, read from its proto options: `permissions` (repeated; an entry
// may list several, comma-separated) and `requires_all_permissions` (true or unset: all of them,
// false: any one). No permission named: being authenticated is enough.

export interface Requirement {
  permissions: readonly string[];
  all: boolean;
}

const cache = new WeakMap<DescMethod, Requirement>();

export function requirementOf(method: DescMethod): Requirement {
  let requirement = cache.get(method);
  if (!requirement) {
    const permissions = getOption(method, commonV1.permissions)
      .flatMap((entry) => entry.split(','))
      .map((p) => p.trim())
      .filter((p) => p !== '');
    const all = !hasOption(method, commonV1.requires_all_permissions) || getOption(method, commonV1.requires_all_permissions);
    requirement = { permissions: [...new Set(permissions)], all };
    cache.set(method, requirement);
  }
  return requirement;
}

export const methodName = (method: DescMethod) => `${method.parent.typeName}/${method.name}`;

/** Refuses (PermissionDenied, naming what is missing) a caller whose permissions do not meet the method's. */
export function checkPermissions(method: DescMethod, held: ReadonlySet<string>): void {
  const { permissions, all } = requirementOf(method);
  if (permissions.length === 0) return;
  if (all) {
    const missing = permissions.filter((p) => !held.has(p));
    if (missing.length === 0) return;
    const named = missing.length === 1 ? `the permission ${missing[0]}` : `the permissions ${missing.join(', ')}`;
    throw new ConnectError(`${methodName(method)} needs ${named}`, Code.PermissionDenied);
  }
  if (permissions.some((p) => held.has(p))) return;
  const named = permissions.length === 1 ? `the permission ${permissions[0]}` : `one of the permissions ${permissions.join(', ')}`;
  throw new ConnectError(`${methodName(method)} needs ${named}`, Code.PermissionDenied);
}

const CHANGES_RESOURCES = new Set(RESOURCE_PERMISSIONS.filter((p) => /^(write|delete|restore):/.test(p)));

/**
 * Whether the method changes environments, clusters, backups or database API keys (refused while
 * an account awaits approval): it needs such a permission, and no read would do instead.
 */
export function changesResources(method: DescMethod): boolean {
  const { permissions, all } = requirementOf(method);
  return all ? permissions.some((p) => CHANGES_RESOURCES.has(p)) : permissions.length > 0 && permissions.every((p) => CHANGES_RESOURCES.has(p));
}

/**
 * What else an account awaiting approval may not make: more ways in (management keys, OIDC
 * providers), roles and people (invites). Its owner can look around, not build an organisation.
 */
const GROWS_ACCESS = new Set([
  'qdrant.cloud.auth.v1.AuthService/CreateManagementKey',
  'qhc.v1.ManagementKeyRoleService/CreateManagementKeyWithRoles',
  'qdrant.cloud.iam.v1.IAMService/CreateRole',
  'qdrant.cloud.account.v1.AccountService/CreateAccountInvite',
  'qhc.v1.SsoService/CreateOidcProvider',
]);

/** Whether an account must be approved before the method is served (FailedPrecondition while pending or rejected). */
export const needsApprovedAccount = (method: DescMethod) => changesResources(method) || GROWS_ACCESS.has(methodName(method));

// Roles and the permission catalogue (IAMService). A role is named by id or by name wherever
// one is asked for; built-in roles (ROLE_TYPE_SYSTEM) are the server's to refuse changing.
import { fromJson } from '@bufbuild/protobuf';
import { iamV1 } from '@qhc/cloud-api';
import { asJson, type CloudApi } from '../cloud.ts';
import { confirmOrExit } from '../confirm.ts';
import { CliError, EXIT } from '../exit.ts';
import { age, type Column } from '../output.ts';
import { cloudApi, type Global } from './region.ts';
import { findByRef, showMessages, trimEnum, type Row } from './rows.ts';

const permissionsOf = (r: Row) => ((r.permissions ?? []) as Array<{ value: string }>).map((p) => p.value);
const ROLE_COLUMNS: Column<Row>[] = [
  { header: 'name', value: (r) => r.name },
  { header: 'id', value: (r) => r.id, wide: true },
  { header: 'type', value: (r) => trimEnum(r.roleType, 'ROLE_TYPE_') },
  { header: 'permissions', value: (r) => permissionsOf(r).length },
  { header: 'description', value: (r) => (r.description as string | undefined) || undefined, wide: true },
  { header: 'age', value: (r) => age(r.createdAt) },
];
const showRoles = (roles: iamV1.Role | iamV1.Role[], g: Global) => showMessages(iamV1.RoleSchema, roles, { columns: ROLE_COLUMNS, kind: 'role' }, g);

export const listRoles = async (api: CloudApi): Promise<iamV1.Role[]> =>
  (await api.call('ListRoles', () => api.iam.listRoles({ accountId: api.accountId }))).items;

/** The account's role with this id or name. */
export async function roleOf(api: CloudApi, ref: string, roles?: iamV1.Role[]): Promise<iamV1.Role> {
  return findByRef(roles ?? (await listRoles(api)), ref, { id: (r) => r.id, names: (r) => [r.name] }, 'role', 'qhc role list');
}

/** Role ids of names or ids, one ListRoles for all of them. */
export async function roleIdsOf(api: CloudApi, refs: string[] | undefined): Promise<string[]> {
  if (!refs?.length) return [];
  const roles = await listRoles(api);
  return Promise.all(refs.map(async (ref) => (await roleOf(api, ref, roles)).id));
}

export async function roleList(g: Global): Promise<void> {
  await showRoles(await listRoles(cloudApi(g)), g);
}

export async function roleGet(ref: string, g: Global): Promise<void> {
  const api = cloudApi(g);
  const { id } = await roleOf(api, ref);
  await showRoles((await api.call('GetRole', () => api.iam.getRole({ accountId: api.accountId, roleId: id }))).role!, g);
}

/** Every permission named must be in the catalogue: a typo is a usage error, not a role that allows nothing. */
async function checkedPermissions(api: CloudApi, names: string[]): Promise<Array<{ value: string }>> {
  const known = new Set((await api.call('ListPermissions', () => api.iam.listPermissions({ accountId: api.accountId }))).permissions.map((p) => p.value));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length)
    throw new CliError(`unknown permission(s): ${unknown.join(', ')}`, { code: EXIT.usage, hint: 'see `qhc role permissions` for the catalogue' });
  return [...new Set(names)].map((value) => ({ value }));
}

export async function roleCreate(name: string, options: { permission?: string[]; description?: string }, g: Global): Promise<void> {
  if (!options.permission?.length) throw new CliError('a role needs at least one --permission', { code: EXIT.usage, hint: 'see `qhc role permissions`' });
  const api = cloudApi(g);
  const role = fromJson(iamV1.RoleSchema, {
    accountId: api.accountId,
    name,
    description: options.description ?? '',
    roleType: 'ROLE_TYPE_CUSTOM',
    permissions: await checkedPermissions(api, options.permission),
  });
  await showRoles((await api.call('CreateRole', () => api.iam.createRole({ role }))).role!, g);
}

export interface RoleChange {
  name?: string;
  description?: string;
  permission?: string[];
  addPermission?: string[];
  removePermission?: string[];
}

/** The role as answered with only what the flags change: --permission replaces the set, --add/--remove-permission edit it. */
export async function roleUpdate(ref: string, options: RoleChange, g: Global): Promise<void> {
  const api = cloudApi(g);
  const current = await roleOf(api, ref);
  const before = current.permissions.map((p) => p.value);
  const wanted = (options.permission ?? before).filter((p) => !options.removePermission?.includes(p)).concat(options.addPermission ?? []);
  const role = fromJson(iamV1.RoleSchema, {
    ...asJson(iamV1.RoleSchema, current),
    ...(options.name ? { name: options.name } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
    permissions: await checkedPermissions(api, wanted),
  });
  await showRoles((await api.call('UpdateRole', () => api.iam.updateRole({ role }))).role!, g);
}

export async function roleDelete(ref: string, options: { yes?: boolean }, g: Global): Promise<void> {
  const api = cloudApi(g);
  const role = await roleOf(api, ref);
  await confirmOrExit(`Delete role ${role.name}?`, options);
  await api.call('DeleteRole', () => api.iam.deleteRole({ accountId: api.accountId, roleId: role.id }));
  process.stderr.write(`role ${role.name} deleted\n`);
}

export async function rolePermissions(g: Global): Promise<void> {
  const api = cloudApi(g);
  const { permissions } = await api.call('ListPermissions', () => api.iam.listPermissions({ accountId: api.accountId }));
  await showMessages(
    iamV1.PermissionSchema,
    permissions,
    {
      columns: [
        { header: 'permission', value: (r) => r.value as string },
        { header: 'category', value: (r) => r.category as string | undefined },
      ],
      kind: 'permission',
      name: (r) => r.value as string,
    },
    g,
  );
}

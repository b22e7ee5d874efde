import { Code, ConnectError } from '@connectrpc/connect';
import type { iamV1 } from '@qhc/cloud-api';
import { isPermission } from '../../iam/permissions.ts';
import type { RoleFields, RoleWithPermissions } from '../../repositories/roles.ts';
import { invalid } from '../qhc/fields.ts';

// A custom role's fields as a request gives them: a name of 4–64 printable characters, a
// description, and permissions of the catalogue.

const PRINTABLE = /^[^\p{C}]+$/u;
const MAX_DESCRIPTION = 1024;

function nameOf(value: string): string {
  const name = value.trim();
  if ([...name].length < 4 || [...name].length > 64) throw invalid('role.name', `must be 4 to 64 characters, got ${[...name].length}`);
  if (!PRINTABLE.test(name)) throw invalid('role.name', 'must be printable characters (no control characters)');
  return name;
}

function permissionsOf(permissions: readonly iamV1.Permission[]): string[] {
  return permissions.map((permission, i) => {
    if (!isPermission(permission.value))
      throw invalid(`role.permissions[${i}]`, `${JSON.stringify(permission.value.slice(0, 64))} is not a permission (IAMService.ListPermissions lists them)`);
    return permission.value;
  });
}

function descriptionOf(value: string): string {
  if (value.length > MAX_DESCRIPTION) throw invalid('role.description', `at most ${MAX_DESCRIPTION} characters`);
  return value;
}

/** Every field of a new role. */
export const newRoleFields = (role: iamV1.Role): RoleFields => ({
  name: nameOf(role.name),
  description: descriptionOf(role.description),
  permissions: permissionsOf(role.permissions),
});

const MASKABLE = new Set(['name', 'description', 'permissions']);

/** A role's fields after an update: those the mask names (every one without a mask), else the stored ones. */
export function updatedRoleFields(stored: RoleWithPermissions, role: iamV1.Role, mask: readonly string[] | undefined): RoleFields {
  const paths = mask && mask.length > 0 ? mask : [...MASKABLE];
  for (const path of paths)
    if (!MASKABLE.has(path)) throw invalid('update_mask', `${JSON.stringify(path.slice(0, 64))}: a role's name, description or permissions can change`);
  return {
    name: paths.includes('name') ? nameOf(role.name) : stored.name,
    description: paths.includes('description') ? descriptionOf(role.description) : stored.description,
    permissions: paths.includes('permissions') ? permissionsOf(role.permissions) : stored.permissions,
  };
}

/** Built-in roles are the same in every account: refused with why. */
export function checkChangeable(role: RoleWithPermissions, verb: string): void {
  if (role.type === 'system') throw new ConnectError(`role ${role.id} (${role.name}) is a built-in role and cannot be ${verb}`, Code.FailedPrecondition);
}

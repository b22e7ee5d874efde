import type { iamV1 } from '@qhc/cloud-api';

// Roles as the Roles and Members pages show and change them (IAMService).

type Role = iamV1.Role;

/** RoleType.ROLE_TYPE_CUSTOM: only custom roles can be changed or deleted. */
const ROLE_TYPE_CUSTOM = 2;

export const isCustom = (role: Pick<Role, 'roleType'>): boolean => role.roleType === ROLE_TYPE_CUSTOM;

export const roleKind = (role: Pick<Role, 'roleType'>): string => (isCustom(role) ? 'Custom' : 'Built-in');

/** The ids to add and to delete that turn `current` into `wanted` (AssignUserRolesRequest). */
export function roleChanges(current: readonly string[], wanted: readonly string[]): { roleIdsToAdd: string[]; roleIdsToDelete: string[] } {
  const [have, want] = [new Set(current), new Set(wanted)];
  return { roleIdsToAdd: wanted.filter((id) => !have.has(id)), roleIdsToDelete: current.filter((id) => !want.has(id)) };
}

/**
 * Permissions grouped for the checkboxes: by the category the API gives, else by the object they
 * are about (`write:clusters` → clusters); groups and their permissions in name order.
 */
export function permissionGroups(permissions: ReadonlyArray<{ value: string; category?: string }>): Array<[string, string[]]> {
  const groups = new Map<string, string[]>();
  for (const p of permissions) {
    const group = p.category || p.value.split(':')[1] || p.value;
    groups.set(group, [...(groups.get(group) ?? []), p.value]);
  }
  return [...groups.entries()].toSorted(([a], [b]) => a.localeCompare(b)).map(([g, values]) => [g, [...new Set(values)].toSorted()]);
}

/** Role names for ids, in the order given; an id the list lacks shows as itself. */
export const roleNames = (ids: readonly string[], roles: ReadonlyArray<Pick<Role, 'id' | 'name'>>): string[] =>
  ids.map((id) => roles.find((r) => r.id === id)?.name ?? id);

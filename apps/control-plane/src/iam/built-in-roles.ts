import { PERMISSIONS, RESOURCE_PERMISSIONS } from './permissions.ts';

// The roles every account has and nobody can change. Owner, Admin and Base are Qdrant Cloud's
// system roles (iam.v1 SystemRoleSubType); Editor and Viewer are qhc's, for the common split
// between people who run clusters and people who look at them.

export interface BuiltInRole {
  name: string;
  description: string;
  /** iam.v1 SystemRoleSubType, lower case; null for qhc's own built-in roles. */
  subType: 'owner' | 'admin' | 'base' | null;
  permissions: readonly string[];
}

const ACCOUNT_WRITES = new Set(['write:account', 'delete:account']);

export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  { name: 'Owner', subType: 'owner', description: 'Every permission, including changing and deleting the account.', permissions: PERMISSIONS },
  {
    name: 'Admin',
    subType: 'admin',
    description: 'Every permission except changing or deleting the account.',
    permissions: PERMISSIONS.filter((p) => !ACCOUNT_WRITES.has(p)),
  },
  { name: 'Base', subType: 'base', description: 'Given to every member: sees the account.', permissions: ['read:account'] },
  {
    name: 'Editor',
    subType: null,
    description: 'Creates and changes environments, clusters, backups and database API keys; deletes nothing.',
    permissions: RESOURCE_PERMISSIONS.filter((p) => !p.startsWith('delete:')),
  },
  {
    name: 'Viewer',
    subType: null,
    description: 'Reads environments, clusters, backups, members and roles; changes nothing.',
    permissions: PERMISSIONS.filter((p) => p.startsWith('read:') && p !== 'read:management_keys' && p !== 'read:audit_log'),
  },
];

export const builtInRole = (name: string) => BUILT_IN_ROLES.find((role) => role.name === name);

// The permissions a role can hold: Qdrant Cloud's (its permission reference and the `permissions`
// options of its protos, less the serverless ones qhc does not serve) and qhc's own. A test holds
// this list to every permission a served rpc names, so neither can drift from the other.

const resourcePermissions = (resource: string, verbs: readonly string[] = ['read', 'write', 'delete']) => verbs.map((verb) => `${verb}:${resource}`);

/** Identity and access management. */
export const IAM_PERMISSIONS = [
  ...resourcePermissions('roles'),
  ...resourcePermissions('management_keys'),
  ...resourcePermissions('invites'),
  ...resourcePermissions('users', ['read', 'delete']),
] as const;

/** The account itself, its billing information included (qhc.v1.AccountBillingService asks read:/write:account). */
export const ACCOUNT_PERMISSIONS = resourcePermissions('account');

/** Clusters, their database API keys, backups and schedules, and hybrid cloud environments. */
export const RESOURCE_PERMISSIONS = [
  ...resourcePermissions('clusters'),
  ...resourcePermissions('api_keys'),
  ...resourcePermissions('backups'),
  'restore:backups',
  ...resourcePermissions('backup_schedules'),
  ...resourcePermissions('hybrid_cloud_environments'),
] as const;

/** qhc's own: the audit log and single sign-on settings. */
export const QHC_PERMISSIONS = ['read:audit_log', ...resourcePermissions('sso')] as const;

export const PERMISSIONS: readonly string[] = [...IAM_PERMISSIONS, ...ACCOUNT_PERMISSIONS, ...RESOURCE_PERMISSIONS, ...QHC_PERMISSIONS];

export const isPermission = (value: string) => PERMISSIONS.includes(value);

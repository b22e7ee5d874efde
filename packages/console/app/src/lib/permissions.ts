// What the signed-in principal may do in the session's account, as IAMService.ListEffectivePermissions
// answers it. The console hides or disables what the server would refuse; the server still decides.

/** The caller's permissions; undefined while unknown (then nothing is hidden and the server's answer shows). */
export type Permissions = ReadonlySet<string> | undefined;

/** Whether every one of `needed` is held (or the permissions are not known). */
export const can = (permissions: Permissions, ...needed: string[]): boolean => !permissions || needed.every((p) => permissions.has(p));

/** Connect's code for PermissionDenied (google.rpc.Code 7), without loading the Connect runtime into the shell. */
const PERMISSION_DENIED = 7;

export const isPermissionDenied = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === PERMISSION_DENIED;

/** The account pages an account's principal may open, by the read permission each needs. */
export const ACCOUNT_PAGES = [
  ['/account/members', 'Members', 'read:users'],
  ['/account/roles', 'Roles', 'read:roles'],
  ['/account/keys', 'Management keys', 'read:management_keys'],
  ['/account/audit', 'Audit log', 'read:audit_log'],
  ['/account/settings', 'Settings', 'read:account'],
] as const;

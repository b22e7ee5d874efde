import { Code, ConnectError } from '@connectrpc/connect';

/**
 * Nobody hands out more than they hold: a key's roles, a custom role's permissions and the roles
 * given to a member must grant nothing beyond the caller's own permissions (else an Admin could
 * make themself an Owner through a role).
 */
export function checkGrantable(held: ReadonlySet<string>, granted: Iterable<string>, what: string): void {
  const beyond = [...new Set(granted)].filter((p) => !held.has(p)).toSorted();
  if (beyond.length > 0)
    throw new ConnectError(
      `${what} ${beyond.length === 1 ? 'the permission' : 'the permissions'} ${beyond.join(', ')}, which the caller does not hold`,
      Code.PermissionDenied,
    );
}

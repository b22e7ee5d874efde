import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { can, type Permissions } from '../lib/permissions.ts';

const PermissionsContext = createContext<Permissions>(undefined);

/** The caller's effective permissions in the account, or undefined when the control plane cannot tell. */
async function effectivePermissions(accountId: string): Promise<Permissions> {
  const { iamApi } = await import('../clients.ts');
  try {
    return new Set((await iamApi.listEffectivePermissions({ accountId })).permissions.map((p) => p.value));
  } catch {
    // Unknown permissions hide nothing: the server still refuses what the caller may not do, and the page shows why.
    return undefined;
  }
}

/** Loads the permissions of the session's account (again after an account switch) for `useCan`. */
export function PermissionsProvider({ accountId, children }: { accountId: string; children: ReactNode }) {
  const [permissions, setPermissions] = useState<Permissions>();
  useEffect(() => {
    let live = true;
    void effectivePermissions(accountId).then((p) => live && setPermissions(p));
    return () => {
      live = false;
    };
  }, [accountId]);
  return <PermissionsContext value={permissions}>{children}</PermissionsContext>;
}

/** Whether the caller holds every one of `needed`: actions it lacks are hidden or disabled. */
export const useCan = (...needed: string[]): boolean => can(useContext(PermissionsContext), ...needed);

/** The caller's permissions (undefined while unknown), for a list of checks. */
export const usePermissions = (): Permissions => useContext(PermissionsContext);

/** Says which permission a disabled form lacks (nothing when it is held). */
export function MissingPermission({ needed }: { needed: string }) {
  if (useCan(needed)) return null;
  return <p className="note">You lack the permission {needed}; an administrator of the account can grant it.</p>;
}

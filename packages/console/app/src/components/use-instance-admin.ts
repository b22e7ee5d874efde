import { useEffect, useState } from 'react';
import type { Session } from '../api.ts';

/**
 * Whether the caller administers the instance. A user's session says so; a management key's
 * session cannot (the first account's Owner and Admin keys administer it too), so the list the
 * administrators read is asked for once: answered means allowed.
 */
async function probe(): Promise<boolean> {
  const { accountAccessApi } = await import('../clients.ts');
  return accountAccessApi.listAccountRequests({ pageSize: 1 }).then(
    () => true,
    () => false,
  );
}

export function useInstanceAdmin(session: Session): boolean {
  const [admin, setAdmin] = useState(session.instanceAdmin);
  useEffect(() => {
    let live = true;
    if (session.instanceAdmin) setAdmin(true);
    else void probe().then((a) => live && setAdmin(a));
    return () => {
      live = false;
    };
  }, [session.accountId, session.instanceAdmin]);
  return admin;
}

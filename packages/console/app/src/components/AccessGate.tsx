import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import type { Session } from '../api.ts';
import { ACCOUNT_STATUS } from '../lib/accounts.ts';
import { Loading } from './loading.tsx';

const Pending = lazy(() => import('../pages/Pending.tsx'));

/** The account's status, or APPROVED when the control plane cannot tell (it refuses writes itself then). */
async function accountStatus(accountId: string): Promise<number> {
  const { accountAccessApi } = await import('../clients.ts');
  try {
    return (await accountAccessApi.getAccountAccess({ accountId })).access?.status ?? ACCOUNT_STATUS.APPROVED;
  } catch {
    return ACCOUNT_STATUS.APPROVED;
  }
}

/**
 * A pending or rejected account sees where it stands (the pending screen polls it); once an
 * instance administrator approves it, the console opens.
 */
export function AccessGate({ session, header, children }: { session: Session; header: ReactNode; children: ReactNode }) {
  const [status, setStatus] = useState<number>();
  useEffect(() => {
    let live = true;
    setStatus(undefined);
    void accountStatus(session.accountId).then((s) => live && setStatus(s));
    return () => {
      live = false;
    };
  }, [session.accountId]);
  if (status === undefined) return <Loading what="the account" />;
  if (status === ACCOUNT_STATUS.APPROVED || status === ACCOUNT_STATUS.UNSPECIFIED) return children;
  return (
    <>
      {header}
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading what="the account's status" />}>
          <Pending accountId={session.accountId} onApproved={() => setStatus(ACCOUNT_STATUS.APPROVED)} />
        </Suspense>
      </main>
    </>
  );
}

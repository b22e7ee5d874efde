import { useEffect } from 'react';
import { accountAccessApi } from '../clients.ts';
import { ErrorBox, Loading } from '../components/ui.tsx';
import { ACCOUNT_STATUS } from '../lib/accounts.ts';
import { formatTime } from '../lib/audit.ts';
import { usePoll } from '../poll.ts';

/** Where a new account stands; polled, so an administrator's approval opens the console without a reload. */
export default function Pending({ accountId, onApproved }: { accountId: string; onApproved: () => void }) {
  const { data: access, error } = usePoll(async () => (await accountAccessApi.getAccountAccess({ accountId })).access, [accountId]);
  const approved = access?.status === ACCOUNT_STATUS.APPROVED;
  useEffect(() => {
    if (approved) onApproved();
  }, [approved, onApproved]);
  return (
    <section>
      <ErrorBox error={error} />
      {!access ? (
        <Loading what="the account's status" />
      ) : access.status === ACCOUNT_STATUS.REJECTED ? (
        <>
          <h1>Your account was not approved</h1>
          <p role="status">An instance administrator rejected this account on {formatTime(access.decidedAt)}.</p>
          <p>
            Reason: <q>{access.reason || 'none given'}</q>
          </p>
        </>
      ) : (
        <>
          <h1>Your account is waiting for approval</h1>
          <p role="status">
            An instance administrator has to approve the account before it can create environments and clusters. This page opens the console as soon as they do.
          </p>
          <p className="note">Signed up on {formatTime(access.requestedAt)}.</p>
        </>
      )}
    </section>
  );
}

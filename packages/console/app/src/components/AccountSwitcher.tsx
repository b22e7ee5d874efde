import { useEffect, useId, useState } from 'react';
import type { qhcV1 } from '@qhc/cloud-api';
import { errorMessage, switchAccount, type Session } from '../api.ts';
import { accountStatusLabel, ACCOUNT_STATUS } from '../lib/accounts.ts';

type MyAccount = qhcV1.MyAccount;

async function myAccounts(): Promise<MyAccount[]> {
  const { sessions } = await import('../clients.ts');
  return (await sessions.listMyAccounts({})).items;
}

const optionLabel = (a: MyAccount) => (a.status === ACCOUNT_STATUS.APPROVED ? a.accountName : `${a.accountName} (${accountStatusLabel(a.status)})`);

/** The account the session acts in; a user of several accounts switches here (SessionService.SwitchAccount). */
export function AccountSwitcher({ session, onSwitched }: { session: Session; onSwitched: (session: Session) => void }) {
  const id = useId();
  const [accounts, setAccounts] = useState<MyAccount[]>([]);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    // Without the list (an older control plane) the session's own account still shows.
    myAccounts().then(setAccounts, () => setAccounts([]));
  }, [session.accountId]);
  const name = session.accountName || session.accountId;
  if (accounts.length < 2)
    return (
      <span className="who" title={`Account ${session.accountId}`}>
        {session.userEmail ? `${session.userEmail} · ` : ''}Account {name}
      </span>
    );
  return (
    <span className="who">
      {session.userEmail} ·{' '}
      <label htmlFor={id} className="sr-only">
        Account
      </label>
      <select
        id={id}
        title={`Account ${session.accountId}`}
        value={session.accountId}
        onChange={(e) => switchAccount(e.target.value).then(onSwitched, setError)}
      >
        {accounts.map((a) => (
          <option key={a.accountId} value={a.accountId}>
            {optionLabel(a)}
          </option>
        ))}
      </select>
      {/* Not ErrorBox: the shell stays small, without the pages' shared components. */}
      {error !== undefined && (
        <span role="alert" className="error">
          The account could not be switched: {errorMessage(error)}
        </span>
      )}
    </span>
  );
}

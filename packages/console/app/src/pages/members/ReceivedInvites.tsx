import { accountV1 } from '@qhc/cloud-api';
import { accountsApi } from '../../clients.ts';
import { ErrorBox } from '../../components/ui.tsx';
import { usePoll } from '../../poll.ts';
import { useSubmit } from '../backups/use-submit.ts';

function Invite({ invite, onDeclined }: { invite: accountV1.AccountInvite; onDeclined: () => Promise<void> }) {
  const { error, busy, run } = useSubmit();
  const ids = { accountId: invite.accountId, inviteId: invite.id };
  return (
    <li>
      <strong>{invite.accountName}</strong> invited you{invite.createdByEmail ? ` (from ${invite.createdByEmail})` : ''}.{' '}
      <button
        type="button"
        className="button primary"
        disabled={busy}
        onClick={() => void run(async () => (await accountsApi.acceptAccountInvite(ids), location.reload()))}
      >
        Accept
      </button>{' '}
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => void run(async () => (await accountsApi.rejectAccountInvite(ids), await onDeclined()))}
      >
        Decline
      </button>
      <ErrorBox error={error} />
    </li>
  );
}

/** Invites to other accounts for the signed-in user; accepting reloads the console, whose switcher then lists the account. */
export function ReceivedInvites() {
  // A management key has no invites: the list stays empty when the API refuses it.
  const { data, reload } = usePoll(
    async () => (await accountsApi.listReceivedAccountInvites({})).items.filter((i) => i.status === accountV1.AccountInviteStatus.PENDING),
    [],
    10_000,
  );
  if (!data || data.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="received-title">
      <h2 id="received-title">Invites for you</h2>
      <ul>
        {data.map((invite) => (
          <Invite key={invite.id} invite={invite} onDeclined={reload} />
        ))}
      </ul>
    </section>
  );
}

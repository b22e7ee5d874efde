import { useState } from 'react';
import { accountV1, type iamV1 } from '@qhc/cloud-api';
import { accountId } from '../../api.ts';
import { accountsApi } from '../../clients.ts';
import { useCan } from '../../components/permissions.tsx';
import { RoleChecklist } from '../../components/RoleChecklist.tsx';
import { Badge, ErrorBox, Field, Loading, Table } from '../../components/ui.tsx';
import { formatTime } from '../../lib/audit.ts';
import { roleNames } from '../../lib/roles.ts';
import { enumLabel } from '../../lib/status.ts';
import { usePoll } from '../../poll.ts';
import { useSubmit } from '../backups/use-submit.ts';

const PENDING = accountV1.AccountInviteStatus.PENDING;

function InviteForm({ roles, onCreated }: { roles: iamV1.Role[]; onCreated: () => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [roleIds, setRoleIds] = useState<string[]>([]);
  const { error, busy, run } = useSubmit();
  const submit = () =>
    run(async () => {
      await accountsApi.createAccountInvite({ accountInvite: { accountId: accountId(), userEmail: email.trim(), userRoleIds: roleIds } });
      setEmail('');
      setRoleIds([]);
      await onCreated();
    });
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit())} aria-label="Invite someone">
      <Field label="Email to invite">{(id) => <input id={id} type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />}</Field>
      <RoleChecklist legend="Roles of the new member" roles={roles} value={roleIds} onChange={setRoleIds} />
      <ErrorBox error={error} />
      <button type="submit" className="button primary" disabled={busy || !email.trim()}>
        Send invite
      </button>
    </form>
  );
}

function CancelInvite({ id, email, onDone }: { id: string; email: string; onDone: () => Promise<void> }) {
  const { error, busy, run } = useSubmit();
  return (
    <>
      <button
        type="button"
        className="button"
        aria-label={`Cancel the invite of ${email}`}
        disabled={busy}
        onClick={() => void run(async () => (await accountsApi.deleteAccountInvite({ accountId: accountId(), inviteId: id }), await onDone()))}
      >
        Cancel invite
      </button>
      <ErrorBox error={error} />
    </>
  );
}

/** The account's invites: sent (with roles), listed with their status, cancelled while pending. */
export function InvitesPanel({ roles }: { roles: iamV1.Role[] }) {
  const [canCreate, canCancel] = [useCan('write:invites'), useCan('delete:invites')];
  const { data, error, reload } = usePoll(async () => (await accountsApi.listAccountInvites({ accountId: accountId() })).items, [], 5000);
  return (
    <section className="panel" aria-labelledby="invites-title">
      <h2 id="invites-title">Invites</h2>
      {canCreate && <InviteForm roles={roles} onCreated={reload} />}
      <ErrorBox error={error} />
      {!data ? (
        <Loading what="invites" />
      ) : data.length === 0 ? (
        <p>No invites.</p>
      ) : (
        <Table caption="Invites" columns={['Email', 'Roles', 'Status', 'Sent', { hidden: 'Actions' }]}>
          {data.map((invite) => (
            <tr key={invite.id}>
              <th scope="row">{invite.userEmail}</th>
              <td>{roleNames(invite.userRoleIds, roles).join(', ') || '—'}</td>
              <td>
                <Badge
                  value={invite.status === PENDING ? 'Scaling' : undefined}
                  label={enumLabel(accountV1.AccountInviteStatusSchema, invite.status) ?? 'Unknown'}
                />
              </td>
              <td>{formatTime(invite.createdAt)}</td>
              <td>{canCancel && invite.status === PENDING && <CancelInvite id={invite.id} email={invite.userEmail} onDone={reload} />}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

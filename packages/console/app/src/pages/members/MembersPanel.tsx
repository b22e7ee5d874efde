import type { iamV1 } from '@qhc/cloud-api';
import { accountId } from '../../api.ts';
import { accountsApi, iamApi } from '../../clients.ts';
import { ConfirmDelete } from '../../components/dialogs.tsx';
import { useCan } from '../../components/permissions.tsx';
import { ErrorBox, Loading, Table } from '../../components/ui.tsx';
import { usePoll } from '../../poll.ts';
import { isBaseRole } from '../roles/use-roles.ts';
import { MemberRoles } from './MemberRoles.tsx';

interface Member {
  user: iamV1.User;
  isOwner: boolean;
  /** The member's roles; undefined when the caller may not read roles. */
  roles: iamV1.Role[] | undefined;
}

/** A member's roles; undefined when they cannot be read (the list still shows the member). */
const rolesOf = (account: string, userId: string) =>
  iamApi.listUserRoles({ accountId: account, userId }).then(
    (res) => res.roles,
    () => undefined,
  );

async function members(withRoles: boolean): Promise<Member[]> {
  const account = accountId();
  const items = (await accountsApi.listAccountMembers({ accountId: account })).items;
  return Promise.all(
    items.map(async (m) => ({ user: m.accountMember!, isOwner: m.isOwner, roles: withRoles ? await rolesOf(account, m.accountMember!.id) : undefined })),
  );
}

function MemberRow({ member, roles, reload, actions }: { member: Member; roles: iamV1.Role[]; reload: () => Promise<void>; actions: ActionsProps }) {
  const { user } = member;
  const assignable = roles.filter((r) => !isBaseRole(r));
  const current = (member.roles ?? []).filter((r) => !isBaseRole(r)).map((r) => r.id);
  return (
    <tr>
      <th scope="row">{user.email}</th>
      <td>{member.isOwner ? 'Owner' : ''}</td>
      <td>{member.roles ? member.roles.map((r) => r.name).join(', ') || '—' : '—'}</td>
      <td>
        {actions.canAssign && member.roles && <MemberRoles email={user.email} userId={user.id} current={current} roles={assignable} onSaved={reload} />}{' '}
        {actions.canRemove && !member.isOwner && (
          <ConfirmDelete
            what="member"
            name={user.email}
            onConfirm={async () => (await accountsApi.deleteAccountMember({ accountId: accountId(), userId: user.id }), await reload())}
          />
        )}
      </td>
    </tr>
  );
}

interface ActionsProps {
  canAssign: boolean;
  canRemove: boolean;
}

/** The account's members, their roles, and (with the permissions) role changes and removal. */
export function MembersPanel({ roles }: { roles: iamV1.Role[] }) {
  const readRoles = useCan('read:roles');
  const actions = { canAssign: useCan('write:roles'), canRemove: useCan('delete:users') };
  const { data, error, reload } = usePoll(() => members(readRoles), [readRoles], 5000);
  return (
    <section className="panel" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      <ErrorBox error={error} />
      {!data ? (
        <Loading what="members" />
      ) : (
        <Table caption="Members" columns={['Email', 'Owner', 'Roles', { hidden: 'Actions' }]}>
          {data.map((m) => (
            <MemberRow key={m.user.id} member={m} roles={roles} reload={reload} actions={actions} />
          ))}
        </Table>
      )}
    </section>
  );
}

import { sessionNow } from '../api.ts';
import { useCan } from '../components/permissions.tsx';
import { ErrorBox } from '../components/ui.tsx';
import { AccountPage } from './account/AccountPage.tsx';
import { InvitesPanel } from './members/InvitesPanel.tsx';
import { MembersPanel } from './members/MembersPanel.tsx';
import { ReceivedInvites } from './members/ReceivedInvites.tsx';
import { isBaseRole, useRoles } from './roles/use-roles.ts';

export default function Members() {
  const { roles, error } = useRoles();
  const readInvites = useCan('read:invites');
  const assignable = (roles ?? []).filter((r) => !isBaseRole(r));
  return (
    <AccountPage title="Members" intro="The people of this account and their roles. Every member also holds the Base role.">
      {sessionNow()?.userId && <ReceivedInvites />}
      <ErrorBox error={error} title="The roles could not be read" />
      <MembersPanel roles={roles ?? []} />
      {readInvites && <InvitesPanel roles={assignable} />}
    </AccountPage>
  );
}

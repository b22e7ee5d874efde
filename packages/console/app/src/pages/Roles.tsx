import { useState } from 'react';
import type { iamV1 } from '@qhc/cloud-api';
import { accountId } from '../api.ts';
import { iamApi } from '../clients.ts';
import { ConfirmDelete } from '../components/dialogs.tsx';
import { useCan } from '../components/permissions.tsx';
import { ErrorBox, Loading } from '../components/ui.tsx';
import { isCustom, roleKind } from '../lib/roles.ts';
import { usePoll } from '../poll.ts';
import { AccountPage } from './account/AccountPage.tsx';
import { RoleForm } from './roles/RoleForm.tsx';
import { useRoles } from './roles/use-roles.ts';

function RoleItem({ role, catalogue, reload }: { role: iamV1.Role; catalogue: iamV1.Permission[]; reload: () => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  const [canWrite, canDelete] = [useCan('write:roles'), useCan('delete:roles')];
  const custom = isCustom(role);
  return (
    <li className="panel">
      <div className="title">
        <h2>{role.name}</h2>
        <span className="note">{roleKind(role)}</span>
        {custom && canWrite && (
          <button type="button" className="button" aria-expanded={editing} onClick={() => setEditing((e) => !e)}>
            {editing ? 'Close editor' : 'Edit'}
          </button>
        )}
        {custom && canDelete && (
          <ConfirmDelete
            what="role"
            name={role.name}
            onConfirm={async () => (await iamApi.deleteRole({ accountId: accountId(), roleId: role.id }), await reload())}
          />
        )}
      </div>
      {role.description && <p>{role.description}</p>}
      {editing ? (
        <RoleForm role={role} catalogue={catalogue} onSaved={async () => (setEditing(false), await reload())} />
      ) : (
        <details>
          <summary>{role.permissions.length} permissions</summary>
          <p>{role.permissions.map((p) => p.value).join(', ') || 'none'}</p>
        </details>
      )}
    </li>
  );
}

/** The account's roles: built-in ones read-only, custom ones created, edited and deleted. */
export default function Roles() {
  const { roles, error, reload } = useRoles();
  const canWrite = useCan('write:roles');
  const catalogue = usePoll(async () => (await iamApi.listPermissions({ accountId: accountId() })).permissions, [], 60_000);
  return (
    <AccountPage title="Roles" intro="Built-in roles cannot be changed; custom roles hold the permissions you choose.">
      <ErrorBox error={error ?? catalogue.error} />
      {!roles ? (
        <Loading what="roles" />
      ) : (
        <ul className="plain">
          {roles.map((role) => (
            <RoleItem key={role.id} role={role} catalogue={catalogue.data ?? []} reload={reload} />
          ))}
        </ul>
      )}
      {canWrite && catalogue.data && (
        <section className="panel" aria-labelledby="new-role">
          <h2 id="new-role">New custom role</h2>
          <RoleForm catalogue={catalogue.data} onSaved={reload} />
        </section>
      )}
    </AccountPage>
  );
}

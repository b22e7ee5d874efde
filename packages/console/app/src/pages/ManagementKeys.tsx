import { useState } from 'react';
import type { iamV1 } from '@qhc/cloud-api';
import { accountId } from '../api.ts';
import { keyRolesApi, keysApi } from '../clients.ts';
import { ConfirmDelete, Copy } from '../components/dialogs.tsx';
import { useCan } from '../components/permissions.tsx';
import { RoleChecklist } from '../components/RoleChecklist.tsx';
import { ErrorBox, Loading, Table } from '../components/ui.tsx';
import { formatTime } from '../lib/audit.ts';
import { roleNames } from '../lib/roles.ts';
import { usePoll } from '../poll.ts';
import { AccountPage } from './account/AccountPage.tsx';
import { useSubmit } from './backups/use-submit.ts';
import { isBaseRole, useRoles } from './roles/use-roles.ts';

async function keysWithRoles() {
  const account = accountId();
  const keys = (await keysApi.listManagementKeys({ accountId: account })).items;
  return Promise.all(
    keys.map(async (key) => ({ key, roleIds: (await keyRolesApi.listManagementKeyRoles({ accountId: account, managementKeyId: key.id })).roleIds })),
  );
}

function NewKey({ roles, onCreated }: { roles: iamV1.Role[]; onCreated: () => Promise<void> }) {
  const [roleIds, setRoleIds] = useState<string[]>([]);
  const [secret, setSecret] = useState<string>();
  const { error, busy, run } = useSubmit();
  const submit = () =>
    run(async () => {
      const made = (await keyRolesApi.createManagementKeyWithRoles({ accountId: accountId(), roleIds })).managementKey;
      setSecret(made?.key);
      setRoleIds([]);
      await onCreated();
    });
  return (
    <section className="panel" aria-labelledby="new-key">
      <h2 id="new-key">New management key</h2>
      {secret && (
        <div role="status" className="command">
          <p>The new key, shown this once: copy it now.</p>
          <pre aria-label="The new management key">{secret}</pre>
          <Copy text={secret} label="Copy the new management key" />
        </div>
      )}
      <form onSubmit={(e) => (e.preventDefault(), void submit())} aria-label="New management key">
        <RoleChecklist legend="Roles of the key" roles={roles} value={roleIds} onChange={setRoleIds} />
        <ErrorBox error={error} />
        <button type="submit" className="button primary" disabled={busy || roleIds.length === 0}>
          Create key
        </button>
      </form>
    </section>
  );
}

/** The account's management keys: their roles, deletion, and new keys with chosen roles. */
export default function ManagementKeys() {
  const { roles, error: rolesError } = useRoles();
  const [canCreate, canDelete] = [useCan('write:management_keys'), useCan('delete:management_keys')];
  const { data, error, reload } = usePoll(keysWithRoles, [], 5000);
  return (
    <AccountPage title="Management keys" intro="Keys for scripts and tools (qhc, Terraform). A key can do what its roles allow.">
      <ErrorBox error={error ?? rolesError} />
      {!data ? (
        <Loading what="management keys" />
      ) : data.length === 0 ? (
        <p>No management keys.</p>
      ) : (
        <Table caption="Management keys" columns={['Key', 'Roles', 'Created', { hidden: 'Actions' }]}>
          {data.map(({ key, roleIds }) => (
            <tr key={key.id}>
              <th scope="row">
                <code>{key.prefix}…</code>
              </th>
              <td>{roleNames(roleIds, roles ?? []).join(', ') || '—'}</td>
              <td>{formatTime(key.createdAt)}</td>
              <td>
                {canDelete && (
                  <ConfirmDelete
                    what="key"
                    name={key.prefix}
                    onConfirm={async () => (await keysApi.deleteManagementKey({ accountId: accountId(), managementKeyId: key.id }), await reload())}
                  />
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      {canCreate && <NewKey roles={(roles ?? []).filter((r) => !isBaseRole(r))} onCreated={reload} />}
    </AccountPage>
  );
}

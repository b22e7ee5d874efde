import { useState } from 'react';
import { backupV1 } from '@qhc/cloud-api';
import { accountId } from '../../api.ts';
import { backupsApi, clustersApi } from '../../clients.ts';
import { navigate } from '../../router.tsx';
import { Badge, CheckboxField, ErrorBox, Field, LoadMore, SelectField, Table } from '../../components/ui.tsx';
import { enumLabel } from '../../lib/status.ts';
import type { Backup, BackupRestore, Cluster } from '../../types.ts';
import { backupPhase } from './BackupsPanel.tsx';
import { useSubmit, type Paged } from './use-submit.ts';
import { MissingPermission, useCan } from '../../components/permissions.tsx';

function RestoresTable({ restores, backups }: { restores: Paged<BackupRestore>; backups: Backup[] }) {
  if (!restores.data?.items.length) return <p>No restores.</p>;
  return (
    <Table columns={['Restore', 'Backup', 'Phase']}>
      {restores.data.items.map((r) => (
        <tr key={r.id}>
          <th scope="row">{r.id}</th>
          <td>{backups.find((b) => b.id === r.backupId)?.displayName || r.backupId}</td>
          <td>
            <Badge value={enumLabel(backupV1.BackupRestoreStatusSchema, r.status) ?? 'Pending'} />
          </td>
        </tr>
      ))}
    </Table>
  );
}

/** The cluster's restores, and a form to restore a succeeded backup into it or into a new cluster. */
export function RestoresPanel({ restores, backups, cluster }: { restores: Paged<BackupRestore>; backups: Backup[]; cluster: Cluster }) {
  const succeeded = backups.filter((b) => backupPhase(b) === 'Succeeded');
  const [from, setFrom] = useState('');
  const [newCluster, setNewCluster] = useState(true);
  const [newName, setNewName] = useState('');
  const restore = useSubmit();
  const canRestore = useCan('restore:backups');
  const backup = succeeded.find((b) => b.displayName === from) ?? succeeded[0];
  return (
    <section className="panel" aria-labelledby="restores-heading">
      <h2 id="restores-heading">Restores</h2>
      <form
        className="inline"
        onSubmit={async (e) => {
          e.preventDefault();
          await restore.run(async () => {
            if (!newCluster) return (await backupsApi.restoreBackup({ accountId: accountId(), backupId: backup!.id }), await restores.reload());
            const made = await clustersApi.createClusterFromBackup({ accountId: accountId(), backupId: backup!.id, clusterName: newName.trim() });
            navigate(`/clusters/${encodeURIComponent(made.cluster!.id)}`);
          });
        }}
      >
        <SelectField label="Backup" value={backup?.displayName ?? ''} options={succeeded.map((b) => b.displayName)} onChange={setFrom} />
        <CheckboxField label="Restore into a new cluster" checked={newCluster} onChange={setNewCluster} />
        {newCluster ? (
          <Field label="New cluster name">{(id) => <input id={id} value={newName} onChange={(e) => setNewName(e.target.value)} />}</Field>
        ) : (
          <p>Restores into {cluster.name}: its data is replaced by the backup's.</p>
        )}
        <button className="button" type="submit" disabled={!backup || (newCluster && !newName.trim()) || restore.busy || !canRestore}>
          Restore
        </button>
      </form>
      <MissingPermission needed="restore:backups" />
      <ErrorBox error={restore.error ?? restores.error} />
      <RestoresTable restores={restores} backups={backups} />
      {restores.data && <LoadMore more={restores.data.more} what="restores" onMore={restores.loadMore} />}
    </section>
  );
}

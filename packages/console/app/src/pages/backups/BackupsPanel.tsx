import { useState } from 'react';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { backupV1 } from '@qhc/cloud-api';
import { accountId } from '../../api.ts';
import { backupsApi } from '../../clients.ts';
import { ConfirmDelete } from '../../components/dialogs.tsx';
import { Badge, ErrorBox, Field, LoadMore, Loading, Table } from '../../components/ui.tsx';
import { enumLabel } from '../../lib/status.ts';
import type { Backup, Cluster } from '../../types.ts';
import { backupName, durationToHours, hoursToDuration, useSubmit, type Paged } from './use-submit.ts';
import { MissingPermission, useCan } from '../../components/permissions.tsx';

export const backupPhase = (b: Backup) => (b.deletedAt ? 'Deleting' : (enumLabel(backupV1.BackupStatusSchema, b.status) ?? 'Pending'));

function BackupsTable({ backups }: { backups: Paged<Backup> }) {
  const canDelete = useCan('delete:backups');
  if (!backups.data) return <Loading what="backups" />;
  if (backups.data.items.length === 0) return <p>No backups of this cluster.</p>;
  return (
    <Table columns={['Name', 'Taken', 'Phase', 'Keep for', { hidden: 'Actions' }]}>
      {backups.data.items.map((b) => (
        <tr key={b.id}>
          <th scope="row">{b.displayName || b.name}</th>
          <td>{b.createdAt ? timestampDate(b.createdAt).toLocaleString() : '—'}</td>
          <td>
            <Badge value={backupPhase(b)} />
          </td>
          <td>{durationToHours(b.retentionPeriod) ?? 'until deleted'}</td>
          <td>
            {!b.deletedAt && canDelete && (
              <ConfirmDelete
                what="backup"
                name={b.displayName || b.name}
                onConfirm={() => backupsApi.deleteBackup({ accountId: accountId(), backupId: b.id }).then(() => backups.reload())}
              />
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}

/** The cluster's backups, and a form to back it up now. */
export function BackupsPanel({ backups, cluster }: { backups: Paged<Backup>; cluster: Cluster }) {
  const [retention, setRetention] = useState('72h');
  const [name, setName] = useState('');
  const create = useSubmit();
  const canCreate = useCan('write:backups');
  return (
    <section className="panel" aria-labelledby="backups-heading">
      <h2 id="backups-heading">Backups</h2>
      <form
        className="inline"
        onSubmit={async (e) => {
          e.preventDefault();
          await create.run(async () => {
            const retentionPeriod = hoursToDuration(retention);
            const displayName = name.trim() || backupName(cluster.name);
            await backupsApi.createBackup({
              backup: { accountId: accountId(), clusterId: cluster.id, displayName, ...(retentionPeriod ? { retentionPeriod } : {}) },
            });
            setName('');
            await backups.reload();
          });
        }}
      >
        <Field label="Backup name" hint={`Empty: ${cluster.name}-<date>-<time>`}>
          {(id, h) => <input id={id} aria-describedby={h} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Keep for" hint="Hours, e.g. 72h; empty keeps it until deleted">
          {(id, h) => <input id={id} aria-describedby={h} value={retention} onChange={(e) => setRetention(e.target.value)} />}
        </Field>
        <button className="button primary" type="submit" disabled={create.busy || !canCreate}>
          Back up {cluster.name} now
        </button>
      </form>
      <MissingPermission needed="write:backups" />
      <ErrorBox error={create.error ?? backups.error} />
      <BackupsTable backups={backups} />
      {backups.data && <LoadMore more={backups.data.more} what="backups" onMore={backups.loadMore} />}
    </section>
  );
}

import { useState } from 'react';
import { request } from '../../api.ts';
import { ConfirmDelete } from '../../components/dialogs.tsx';
import { Badge, ErrorBox, Field, LoadMore, Loading, SelectField, Table } from '../../components/ui.tsx';
import { backupName } from '../../lib/forms.ts';
import type { ClusterRecord, ResourceRecord } from '../../types.ts';
import { useSubmit, type PagedResources } from './use-submit.ts';

function Progress({ item }: { item: ResourceRecord }) {
  const snaps = item.status?.volumeSnapshots ?? [];
  const phase = item.deletedAt ? 'Deleting' : (item.status?.phase ?? 'Pending');
  if (phase !== 'Running' && phase !== 'Pending') return <Badge value={phase} />;
  const ready = snaps.filter((s) => s.readyToUse).length;
  return (
    <span className="inline-progress">
      <Badge value={phase} />
      {snaps.length > 0 && <progress aria-label={`${item.name}: ${ready} of ${snaps.length} volume snapshots ready`} max={snaps.length} value={ready} />}
    </span>
  );
}

function BackupsTable({ backups, path }: { backups: PagedResources; path: (what: string) => string }) {
  if (!backups.data) return <Loading what="backups" />;
  if (backups.data.items.length === 0) return <p>No backups in this environment.</p>;
  return (
    <Table columns={['Name', 'Cluster', 'Phase', 'Volumes', 'Keep until', { hidden: 'Actions' }]}>
      {backups.data.items.map((b) => (
        <tr key={b.name}>
          <th scope="row">{b.name}</th>
          <td>{String(b.spec['cluster-id'] ?? b.clusterId)}</td>
          <td>
            <Progress item={b} />
          </td>
          <td>{b.status?.volumeSnapshots?.length ?? '—'}</td>
          <td>{b.status?.retainUntil ?? 'until deleted'}</td>
          <td>
            {!b.deletedAt && (
              <ConfirmDelete
                what="backup"
                name={b.name}
                onConfirm={() => request('DELETE', `${path('backups')}/${encodeURIComponent(b.name)}`).then(() => backups.reload())}
              />
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}

/** The environment's backups, and a form to back up one of its clusters now. */
export function BackupsPanel({
  backups,
  path,
  clusters,
  chosen,
  setCluster,
}: {
  backups: PagedResources;
  path: (what: string) => string;
  clusters: ClusterRecord[];
  chosen: string;
  setCluster: (name: string) => void;
}) {
  const [retention, setRetention] = useState('72h');
  const create = useSubmit();
  return (
    <section className="panel" aria-labelledby="backups-heading">
      <h2 id="backups-heading">Backups</h2>
      <form
        className="inline"
        onSubmit={async (e) => {
          e.preventDefault();
          await create.run(() =>
            request('POST', path('backups'), {
              name: backupName(chosen),
              clusterId: chosen,
              spec: { 'cluster-id': chosen, ...(retention.trim() ? { retention: retention.trim() } : {}) },
            }).then(() => backups.reload()),
          );
        }}
      >
        <SelectField label="Cluster" value={chosen} options={clusters.map((c) => c.name)} onChange={setCluster} />
        <Field label="Keep for" hint="Hours, e.g. 72h; empty keeps it until deleted">
          {(id, h) => <input id={id} aria-describedby={h} value={retention} onChange={(e) => setRetention(e.target.value)} />}
        </Field>
        <button className="button primary" type="submit" disabled={!chosen || create.busy}>
          Back up now
        </button>
      </form>
      <ErrorBox error={create.error} />
      <BackupsTable backups={backups} path={path} />
      {backups.data && <LoadMore more={backups.data.more} what="backups" onMore={backups.loadMore} />}
    </section>
  );
}

import { useState } from 'react';
import { request } from '../../api.ts';
import { Badge, CheckboxField, ErrorBox, Field, LoadMore, SelectField, Table } from '../../components/ui.tsx';
import { restoreBody } from '../../lib/forms.ts';
import type { RegionRecord, ResourceRecord } from '../../types.ts';
import { useSubmit, type PagedResources } from './use-submit.ts';

function RestoresTable({ restores }: { restores: PagedResources }) {
  if (!restores.data?.items.length) return <p>No restores.</p>;
  return (
    <Table columns={['Name', 'Backup', 'Into', 'Phase', 'Message']}>
      {restores.data.items.map((r) => (
        <tr key={r.name}>
          <th scope="row">{r.name}</th>
          <td>{String((r.spec.source as { snapshotName?: string } | undefined)?.snapshotName ?? '')}</td>
          <td>{String((r.spec.destination as { name?: string } | undefined)?.name ?? '')}</td>
          <td>
            <Badge value={r.status?.phase ?? 'Pending'} />
          </td>
          <td>{r.status?.message ?? ''}</td>
        </tr>
      ))}
    </Table>
  );
}

/** The environment's restores, and a form to restore a succeeded backup into a cluster. */
export function RestoresPanel({
  region,
  restores,
  path,
  succeeded,
}: {
  region: RegionRecord;
  restores: PagedResources;
  path: (what: string) => string;
  succeeded: ResourceRecord[];
}) {
  const [restoreFrom, setRestoreFrom] = useState('');
  const [restoreInto, setRestoreInto] = useState('');
  const [restoreNew, setRestoreNew] = useState(true);
  const restore = useSubmit();
  const source = restoreFrom || succeeded[0]?.name || '';
  return (
    <section className="panel" aria-labelledby="restores-heading">
      <h2 id="restores-heading">Restores</h2>
      <form
        className="inline"
        onSubmit={async (e) => {
          e.preventDefault();
          const backup = succeeded.find((b) => b.name === source)!;
          await restore.run(() =>
            request(
              'POST',
              path('restores'),
              restoreBody({ name: backup.name, clusterId: String(backup.spec['cluster-id'] ?? backup.clusterId) }, region.spec.namespace, {
                cluster: restoreInto.trim(),
                create: restoreNew,
              }),
            ).then(() => restores.reload()),
          );
        }}
      >
        <SelectField label="Backup" value={source} options={succeeded.map((b) => b.name)} onChange={setRestoreFrom} />
        <Field label="Into cluster" hint="An existing cluster, or the name of a new one">
          {(id, h) => <input id={id} aria-describedby={h} value={restoreInto} onChange={(e) => setRestoreInto(e.target.value)} />}
        </Field>
        <CheckboxField label="Create it as a new cluster" checked={restoreNew} onChange={setRestoreNew} />
        <button className="button" type="submit" disabled={!source || !restoreInto.trim() || restore.busy}>
          Restore
        </button>
      </form>
      <ErrorBox error={restore.error} />
      <RestoresTable restores={restores} />
      {restores.data && <LoadMore more={restores.data.more} what="restores" onMore={restores.loadMore} />}
    </section>
  );
}

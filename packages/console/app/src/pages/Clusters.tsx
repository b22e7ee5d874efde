import { useState } from 'react';
import { accountId } from '../api.ts';
import { clustersApi } from '../clients.ts';
import { usePoll } from '../poll.ts';
import { Link } from '../router.tsx';
import { Badge, ErrorBox, LoadMore, Loading, Table } from '../components/ui.tsx';
import { clusterPhase } from '../lib/clusters.ts';
import { listEnvironments } from '../lib/environments.ts';
import { cloudPages, loadPages } from '../lib/pages.ts';
import { useCan } from '../components/permissions.tsx';

const clusterPages = cloudPages((q) => clustersApi.listClusters({ accountId: accountId(), ...q }));

/** The first `pageCount` pages of the account's clusters, with the names of their environments. */
async function clustersWithEnvironments(pageCount: number) {
  const [environments, clusters] = await Promise.all([listEnvironments(), loadPages(clusterPages, pageCount)]);
  const names = new Map(environments.map((e) => [e.id, e.name]));
  return { ...clusters, environmentName: (id: string) => names.get(id) ?? id };
}

export default function Clusters() {
  const [pageCount, setPageCount] = useState(1);
  const { data, error } = usePoll(() => clustersWithEnvironments(pageCount), [pageCount]);
  const canCreate = useCan('write:clusters');
  return (
    <section>
      <div className="title">
        <h1>Clusters</h1>
        {canCreate && (
          <Link className="button primary" href="/clusters/new">
            Create cluster
          </Link>
        )}
      </div>
      <ErrorBox error={error} />
      {!data ? (
        <Loading what="clusters" />
      ) : data.items.length === 0 ? (
        <p>No clusters yet.</p>
      ) : (
        <>
          <Table caption="Clusters" columns={['Name', 'Environment', 'Version', 'Nodes ready', 'Phase', 'Endpoint']}>
            {data.items.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <Link href={`/clusters/${encodeURIComponent(c.id)}`}>{c.name}</Link>
                </th>
                <td>{data.environmentName(c.cloudProviderRegionId)}</td>
                <td>{c.state?.version || c.configuration?.version}</td>
                <td>
                  {c.state?.nodesUp ?? 0}/{c.configuration?.numberOfNodes}
                </td>
                <td>
                  <Badge value={clusterPhase(c)} />
                </td>
                <td>
                  <code>{c.state?.endpoint?.url || '—'}</code>
                </td>
              </tr>
            ))}
          </Table>
          <LoadMore more={data.more} what="clusters" onMore={() => setPageCount((n) => n + 1)} />
        </>
      )}
    </section>
  );
}

import { clusterEndpoint } from '@qhc/schemas';
import { listAll, pages, regionPath } from '../api.ts';
import { loadPages } from '../lib/pages.ts';
import { usePoll } from '../poll.ts';
import { useState } from 'react';
import { Link } from '../router.tsx';
import { Badge, ErrorBox, LoadMore, Loading, Table } from '../components/ui.tsx';
import type { ClusterRecord, RegionRecord } from '../types.ts';

/** The first `pageCount` pages of each environment's clusters; `more` when any has more. */
export async function allClusters(pageCount = 1): Promise<{ items: Array<{ region: RegionRecord; cluster: ClusterRecord }>; more: boolean }> {
  const regions = await listAll<RegionRecord>('/api/v1/regions');
  const lists = await Promise.all(
    regions.map(async (region) => ({ region, ...(await loadPages(pages<ClusterRecord>(regionPath(region.name, 'clusters')), pageCount)) })),
  );
  return { items: lists.flatMap((l) => l.items.map((cluster) => ({ region: l.region, cluster }))), more: lists.some((l) => l.more) };
}

export default function Clusters() {
  const [pageCount, setPageCount] = useState(1);
  const { data, error } = usePoll(() => allClusters(pageCount), [pageCount]);
  return (
    <section>
      <div className="title">
        <h1>Clusters</h1>
        <Link className="button primary" href="/clusters/new">
          Create cluster
        </Link>
      </div>
      <ErrorBox error={error} />
      {!data ? (
        <Loading what="clusters" />
      ) : data.items.length === 0 ? (
        <p>No clusters yet.</p>
      ) : (
        <>
          <Table caption="Clusters" columns={['Name', 'Environment', 'Version', 'Nodes ready', 'Phase', 'Endpoint']}>
            {data.items.map(({ region, cluster: c }) => (
              <tr key={c.id}>
                <th scope="row">
                  <Link href={`/environments/${encodeURIComponent(region.name)}/clusters/${encodeURIComponent(c.name)}`}>{c.name}</Link>
                </th>
                <td>{region.name}</td>
                <td>{c.status?.version ?? c.spec.version}</td>
                <td>
                  {c.status?.nodesReady ?? 0}/{c.spec.size}
                </td>
                <td>
                  <Badge value={c.deletedAt ? 'Deleting' : (c.status?.phase ?? 'Pending')} />
                </td>
                <td>
                  <code>{endpoint(region, c)}</code>
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

/** The in-cluster REST URL, as the operator names the Service (qdrant-<id>). */
export const endpoint = (region: RegionRecord, c: ClusterRecord) => clusterEndpoint(c.name, region.spec.namespace);

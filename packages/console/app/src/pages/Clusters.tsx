import { request, regionPath } from '../api.ts';
import { usePoll } from '../poll.ts';
import { Link } from '../router.tsx';
import { Badge, ErrorBox, Loading, Table } from '../components/ui.tsx';
import type { ClusterRecord, RegionRecord } from '../types.ts';

export async function allClusters(): Promise<Array<{ region: RegionRecord; cluster: ClusterRecord }>> {
  const regions = (await request<{ items: RegionRecord[] }>('GET', '/api/v1/regions')).items;
  const lists = await Promise.all(regions.map(async (region) => (await request<{ items: ClusterRecord[] }>('GET', regionPath(region.name, 'clusters'))).items.map((cluster) => ({ region, cluster }))));
  return lists.flat();
}

export default function Clusters() {
  const { data, error } = usePoll(allClusters, []);
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
      ) : data.length === 0 ? (
        <p>No clusters yet.</p>
      ) : (
        <Table caption="Clusters" columns={['Name', 'Environment', 'Version', 'Nodes ready', 'Phase', 'Endpoint']}>
            {data.map(({ region, cluster: c }) => (
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
      )}
    </section>
  );
}

/** The in-cluster REST URL, as the operator names the Service (qdrant-<id>). */
export const endpoint = (region: RegionRecord, c: ClusterRecord) => `http://qdrant-${c.name}.${region.spec.namespace}.svc:6333`;

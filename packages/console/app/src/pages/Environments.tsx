import { pages } from '../api.ts';
import { usePagedPoll } from '../poll.ts';
import { Link } from '../router.tsx';
import { Badge, ErrorBox, LoadMore, Loading, Table } from '../components/ui.tsx';
import { formatAge, regionStatus, upgradeAvailable } from '../lib/status.ts';
import { LATEST_VERSION, type RegionRecord } from '../types.ts';

export default function Environments() {
  const { data, error, loadMore } = usePagedPoll(pages<RegionRecord>('/api/v1/regions'), []);
  return (
    <section>
      <div className="title">
        <h1>Hybrid Cloud environments</h1>
        <Link className="button primary" href="/environments/new">
          Create environment
        </Link>
      </div>
      <p>Kubernetes clusters attached as private regions. Their agent connects out to this control plane.</p>
      <ErrorBox error={error} />
      {!data ? (
        <Loading what="environments" />
      ) : data.items.length === 0 ? (
        <p>No environments yet.</p>
      ) : (
        <>
          <Table caption="Environments" columns={['Name', 'Namespace', 'Status', 'Last seen', 'Operator', 'Agent']}>
            {data.items.map((r) => {
              const s = regionStatus(r);
              const upgrade = upgradeAvailable(r.spec.operatorVersion, LATEST_VERSION) || upgradeAvailable(r.spec.agentVersion, LATEST_VERSION);
              return (
                <tr key={r.id}>
                  <th scope="row">
                    <Link href={`/environments/${encodeURIComponent(r.name)}`}>{r.name}</Link>
                  </th>
                  <td>{r.spec.namespace}</td>
                  <td>
                    <Badge value={s.connection === 'connected' ? 'Ready' : s.connection === 'never' ? undefined : 'NotReady'} label={s.label} />
                  </td>
                  <td>{r.lastSeenAt ? `${formatAge(Date.now() - Date.parse(r.lastSeenAt))} ago` : '—'}</td>
                  <td>
                    {s.operatorVersion ?? r.spec.operatorVersion}
                    {upgrade && <span className="note"> · upgrade to {LATEST_VERSION} available</span>}
                  </td>
                  <td>{s.agentVersion ?? r.spec.agentVersion}</td>
                </tr>
              );
            })}
          </Table>
          <LoadMore more={data.more} what="environments" onMore={loadMore} />
        </>
      )}
    </section>
  );
}

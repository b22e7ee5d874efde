import { usePagedPoll } from '../poll.ts';
import { Link } from '../router.tsx';
import { Badge, ErrorBox, LoadMore, Loading, Table } from '../components/ui.tsx';
import { environmentStatus, listEnvironments } from '../lib/environments.ts';
import { slicePages } from '../lib/pages.ts';
import { formatAge, upgradeAvailable } from '../lib/status.ts';
import { LATEST_VERSION } from '../types.ts';
import { useCan } from '../components/permissions.tsx';

const environmentPages = slicePages(listEnvironments);

export default function Environments() {
  const { data, error, loadMore } = usePagedPoll(environmentPages, []);
  const canCreate = useCan('write:hybrid_cloud_environments');
  return (
    <section>
      <div className="title">
        <h1>Hybrid Cloud environments</h1>
        {canCreate && (
          <Link className="button primary" href="/environments/new">
            Create environment
          </Link>
        )}
      </div>
      <p>Kubernetes clusters attached as private regions. Their agent connects out to this control plane.</p>
      <ErrorBox error={error} />
      {!data ? (
        <Loading what="environments" />
      ) : data.items.length === 0 ? (
        <p>No environments yet.</p>
      ) : (
        <>
          <Table caption="Environments" columns={['Name', 'Namespace', 'Status', 'Last report', 'Operator', 'Agent']}>
            {data.items.map((env) => {
              const s = environmentStatus(env);
              const reported = env.status?.lastModifiedAt;
              return (
                <tr key={env.id}>
                  <th scope="row">
                    <Link href={`/environments/${encodeURIComponent(env.id)}`}>{env.name}</Link>
                  </th>
                  <td>{env.configuration?.namespace}</td>
                  <td>
                    <Badge value={s.value} label={s.label} />
                  </td>
                  <td>{reported ? `${formatAge(Date.now() - Number(reported.seconds) * 1000)} ago` : '—'}</td>
                  <td>
                    {s.operatorVersion ?? '—'}
                    {s.operatorVersion && upgradeAvailable(s.operatorVersion, LATEST_VERSION) && (
                      <span className="note"> · upgrade to {LATEST_VERSION} available</span>
                    )}
                  </td>
                  <td>{s.agentVersion ?? '—'}</td>
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

import { timestampDate } from '@bufbuild/protobuf/wkt';
import { clusterV1, qhcV1 } from '@qhc/cloud-api';
import { LoadMore, Table } from '../../components/ui.tsx';
import { enumLabel } from '../../lib/status.ts';
import type { Cluster, ClusterEvent } from '../../types.ts';

export function NodesPanel({ c }: { c: Cluster }) {
  const nodes = c.state?.nodes ?? [];
  return (
    <section className="panel" aria-labelledby="nodes-heading">
      <h2 id="nodes-heading">Nodes</h2>
      {nodes.length > 0 ? (
        <Table columns={['Node', 'State', 'Version', 'Started', 'Why not ready']}>
          {nodes
            .toSorted((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))
            .map((n) => (
              <tr key={n.name}>
                <th scope="row">{n.name}</th>
                <td>{enumLabel(clusterV1.ClusterNodeStateSchema, n.state) ?? 'Unknown'}</td>
                <td>{n.version}</td>
                <td>{n.startedAt ? timestampDate(n.startedAt).toLocaleString() : ''}</td>
                <td>{n.notReadyInfo?.conditionMessage ?? ''}</td>
              </tr>
            ))}
        </Table>
      ) : (
        <p>The agent has not reported nodes yet.</p>
      )}
    </section>
  );
}

export function EventsPanel({ events }: { events: { data: { items: ClusterEvent[]; more: boolean } | undefined; loadMore: () => void } }) {
  return (
    <section className="panel" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Events</h2>
      {events.data?.items.length ? (
        <ol className="timeline">
          {events.data.items.map((e, i) => {
            const at = e.time ? timestampDate(e.time) : undefined;
            return (
              <li key={`${at?.toISOString()}-${i}`}>
                <time dateTime={at?.toISOString()}>{at?.toLocaleString()}</time>{' '}
                <span className="event-type">{enumLabel(qhcV1.ClusterEventTypeSchema, e.type)}</span> {e.message}
              </li>
            );
          })}
        </ol>
      ) : (
        <p>No events yet.</p>
      )}
      {events.data && <LoadMore more={events.data.more} what="events" onMore={events.loadMore} />}
    </section>
  );
}

import { LoadMore, Table } from '../../components/ui.tsx';
import type { ClusterEvent, ClusterRecord } from '../../types.ts';

export function ConditionsPanel({ c }: { c: ClusterRecord }) {
  return (
    <section className="panel" aria-labelledby="conditions-heading">
      <h2 id="conditions-heading">Conditions</h2>
      {c.status?.conditions?.length ? (
        <Table columns={['Type', 'Status', 'Reason']}>
          {c.status.conditions.map((k) => (
            <tr key={k.type}>
              <th scope="row">{k.type}</th>
              <td>{k.status}</td>
              <td>{k.reason ?? ''}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <p>The agent has not reported conditions yet.</p>
      )}
    </section>
  );
}

export function NodesPanel({ c }: { c: ClusterRecord }) {
  return (
    <section className="panel" aria-labelledby="nodes-heading">
      <h2 id="nodes-heading">Nodes</h2>
      {c.status?.nodeStatus && Object.keys(c.status.nodeStatus).length > 0 ? (
        <Table columns={['Pod', 'Phase', 'Ready', 'Version', 'Restarts', 'Volume']}>
          {Object.entries(c.status.nodeStatus)
            .toSorted(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
            .map(([pod, n]) => (
              <tr key={pod}>
                <th scope="row">{pod}</th>
                <td>
                  {n.podPhase ?? 'Unknown'}
                  {n.podReason && ` (${n.podReason})`}
                </td>
                <td>{n.state?.Ready === 'True' ? 'yes' : 'no'}</td>
                <td>{n.version ?? ''}</td>
                <td>{n.restartCount ?? 0}</td>
                <td>
                  {n.databasePVCStatus?.phase ?? ''} {n.databasePVCStatus?.capacity?.storage ?? ''}
                </td>
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
          {events.data.items.map((e, i) => (
            <li key={`${e.at}-${i}`}>
              <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> <span className="event-type">{e.type}</span> {e.message}
            </li>
          ))}
        </ol>
      ) : (
        <p>No events yet.</p>
      )}
      {events.data && <LoadMore more={events.data.more} what="events" onMore={events.loadMore} />}
    </section>
  );
}

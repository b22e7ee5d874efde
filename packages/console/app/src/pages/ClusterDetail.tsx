import { accountId } from '../api.ts';
import { clusterEventsApi } from '../clients.ts';
import { usePagedPoll, usePoll } from '../poll.ts';
import { Badge, ErrorBox, Loading } from '../components/ui.tsx';
import { clusterPhase, getCluster } from '../lib/clusters.ts';
import { getEnvironment } from '../lib/environments.ts';
import { cloudPages } from '../lib/pages.ts';
import { phaseTone } from '../lib/status.ts';
import { ClusterActions } from './cluster/ClusterActions.tsx';
import { ClusterFacts, ClusterProgress } from './cluster/ClusterFacts.tsx';
import { EventsPanel, NodesPanel } from './cluster/ClusterPanels.tsx';

export default function ClusterDetail({ id }: { id: string }) {
  const { data: c, error, reload } = usePoll(() => getCluster(id), [id]);
  const env = usePoll(async () => (c ? getEnvironment(c.cloudProviderRegionId) : undefined), [c?.cloudProviderRegionId], 10_000);
  const events = usePagedPoll(
    cloudPages((q) => clusterEventsApi.listClusterEvents({ accountId: accountId(), clusterId: id, ...q })),
    [id],
  );

  if (!c) return error ? <ErrorBox error={error} /> : <Loading what="the cluster" />;
  const phase = clusterPhase(c);
  const ready = c.state?.nodesUp ?? 0;
  const size = c.configuration?.numberOfNodes ?? 0;
  const busy = phaseTone(phase) === 'busy' || ready !== size;

  return (
    <section>
      <div className="title">
        <h1>Cluster {c.name}</h1>
        <Badge value={phase} />
      </div>
      {busy && !c.deletedAt && <ClusterProgress phase={phase} ready={ready} size={size} />}
      {c.deletedAt && <p role="status">Being deleted by the agent; it disappears once the environment reports it gone.</p>}
      <ClusterFacts c={c} env={env.data} ready={ready} />
      {c.state?.reason && <p className="note">{c.state.reason}</p>}
      <NodesPanel c={c} />
      <EventsPanel events={events} />
      {!c.deletedAt && <ClusterActions c={c} onChanged={() => void reload()} />}
    </section>
  );
}

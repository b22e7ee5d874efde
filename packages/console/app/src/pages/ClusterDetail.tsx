import { pages, request, regionPath } from '../api.ts';
import { usePagedPoll, usePoll } from '../poll.ts';
import { Badge, ErrorBox, Loading } from '../components/ui.tsx';
import { phaseTone } from '../lib/status.ts';
import type { ClusterEvent, ClusterRecord, RegionRecord } from '../types.ts';
import { ClusterActions } from './cluster/ClusterActions.tsx';
import { ClusterFacts, ClusterProgress } from './cluster/ClusterFacts.tsx';
import { ConditionsPanel, EventsPanel, NodesPanel } from './cluster/ClusterPanels.tsx';

export default function ClusterDetail({ region, cluster: name }: { region: string; cluster: string }) {
  const env = usePoll(() => request<RegionRecord>('GET', regionPath(region)), [region], 10_000);
  const { data: c, error } = usePoll(() => request<ClusterRecord>('GET', regionPath(region, 'clusters', name)), [region, name]);
  const events = usePagedPoll(pages<ClusterEvent>(regionPath(region, 'clusters', name, 'events')), [region, name]);

  if (!c) return error ? <ErrorBox error={error} /> : <Loading what={`cluster ${name}`} />;
  const phase = c.deletedAt ? 'Deleting' : (c.status?.phase ?? 'Pending');
  const ready = c.status?.nodesReady ?? 0;
  const busy = phaseTone(phase) === 'busy' || ready !== c.spec.size;

  return (
    <section>
      <div className="title">
        <h1>Cluster {c.name}</h1>
        <Badge value={phase} />
      </div>
      {busy && !c.deletedAt && <ClusterProgress c={c} phase={phase} ready={ready} />}
      {c.deletedAt && <p role="status">Being deleted by the agent; it disappears once the environment reports it gone.</p>}
      <ClusterFacts c={c} region={region} env={env.data} ready={ready} />
      <ConditionsPanel c={c} />
      <NodesPanel c={c} />
      <EventsPanel events={events} />
      {!c.deletedAt && <ClusterActions c={c} region={region} name={name} />}
    </section>
  );
}

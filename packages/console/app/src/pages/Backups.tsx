import { useState } from 'react';
import { listAll, pages, regionPath } from '../api.ts';
import { usePagedPoll, usePoll } from '../poll.ts';
import { ErrorBox, Loading, SelectField } from '../components/ui.tsx';
import type { ClusterRecord, RegionRecord, ResourceRecord } from '../types.ts';
import { BackupsPanel } from './backups/BackupsPanel.tsx';
import { RestoresPanel } from './backups/RestoresPanel.tsx';
import { SchedulesPanel } from './backups/SchedulesPanel.tsx';

/** One environment's backups, schedules and restores; the chosen cluster is shared by the first two. */
function BackupsOf({ region, clusters }: { region: RegionRecord; clusters: ClusterRecord[] }) {
  const path = (what: string) => regionPath(region.name, what);
  const backups = usePagedPoll(pages<ResourceRecord>(path('backups')), [region.name]);
  const schedules = usePagedPoll(pages<ResourceRecord>(path('backup-schedules')), [region.name]);
  const restores = usePagedPoll(pages<ResourceRecord>(path('restores')), [region.name]);
  const [cluster, setCluster] = useState('');
  const chosen = cluster || clusters[0]?.name || '';
  const succeeded = (backups.data?.items ?? []).filter((b) => b.status?.phase === 'Succeeded' && !b.deletedAt);
  return (
    <>
      <BackupsPanel backups={backups} path={path} clusters={clusters} chosen={chosen} setCluster={setCluster} />
      <SchedulesPanel schedules={schedules} path={path} chosen={chosen} />
      <RestoresPanel region={region} restores={restores} path={path} succeeded={succeeded} />
    </>
  );
}

export default function Backups() {
  const regions = usePoll(async () => ({ items: await listAll<RegionRecord>('/api/v1/regions') }), [], 10_000);
  const [name, setName] = useState(() => new URLSearchParams(location.search).get('environment') ?? '');
  const chosen = regions.data?.items.find((r) => r.name === name) ?? regions.data?.items[0];
  const clusters = usePoll(
    async () => (chosen ? (await listAll<ClusterRecord>(regionPath(chosen.name, 'clusters'))).filter((c) => !c.deletedAt) : []),
    [chosen?.name],
  );
  return (
    <section>
      <h1>Backups</h1>
      <p>Volume snapshots of every node of a cluster, taken in its environment.</p>
      <ErrorBox error={regions.error} />
      {!regions.data ? (
        <Loading what="environments" />
      ) : !chosen ? (
        <p>Create an environment first.</p>
      ) : (
        <>
          <SelectField label="Environment" value={chosen.name} options={regions.data!.items.map((r) => r.name)} onChange={setName} />
          <BackupsOf key={chosen.name} region={chosen} clusters={clusters.data ?? []} />
        </>
      )}
    </section>
  );
}

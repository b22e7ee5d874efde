import { useState } from 'react';
import { accountId } from '../api.ts';
import { backupsApi, clustersApi } from '../clients.ts';
import { usePagedPoll, usePoll } from '../poll.ts';
import { ErrorBox, Loading, SelectField } from '../components/ui.tsx';
import { HYBRID_PROVIDER, listEnvironments } from '../lib/environments.ts';
import { CLOUD_MAX_PAGE_SIZE, cloudPages, loadAll } from '../lib/pages.ts';
import type { Cluster, Environment } from '../types.ts';
import { BackupsPanel } from './backups/BackupsPanel.tsx';
import { RestoresPanel } from './backups/RestoresPanel.tsx';
import { SchedulesPanel } from './backups/SchedulesPanel.tsx';

/** One cluster's backups, schedules and restores. */
function BackupsOf({ cluster }: { cluster: Cluster }) {
  const ids = { accountId: accountId(), clusterId: cluster.id };
  const backups = usePagedPoll(
    cloudPages((q) => backupsApi.listBackups({ ...ids, ...q })),
    [cluster.id],
  );
  const schedules = usePagedPoll(
    cloudPages((q) => backupsApi.listBackupSchedules({ ...ids, ...q })),
    [cluster.id],
  );
  const restores = usePagedPoll(
    cloudPages((q) => backupsApi.listBackupRestores({ ...ids, ...q })),
    [cluster.id],
  );
  return (
    <>
      <BackupsPanel backups={backups} cluster={cluster} />
      <SchedulesPanel schedules={schedules} cluster={cluster} />
      <RestoresPanel restores={restores} backups={backups.data?.items ?? []} cluster={cluster} />
    </>
  );
}

const clustersOf = (environment: Environment) =>
  loadAll(
    cloudPages((q) => clustersApi.listClusters({ accountId: accountId(), cloudProviderId: HYBRID_PROVIDER, cloudProviderRegionId: environment.id, ...q })),
    CLOUD_MAX_PAGE_SIZE,
  );

export default function Backups() {
  const environments = usePoll(listEnvironments, [], 10_000);
  const [name, setName] = useState(() => new URLSearchParams(location.search).get('environment') ?? '');
  const [clusterName, setCluster] = useState('');
  const chosen = environments.data?.find((e) => e.name === name || e.id === name) ?? environments.data?.[0];
  const clusters = usePoll(async () => (chosen ? (await clustersOf(chosen)).filter((c) => !c.deletedAt) : []), [chosen?.id]);
  const cluster = clusters.data?.find((c) => c.name === clusterName) ?? clusters.data?.[0];
  return (
    <section>
      <h1>Backups</h1>
      <p>Volume snapshots of every node of a cluster, taken in its environment.</p>
      <ErrorBox error={environments.error ?? clusters.error} />
      {!environments.data ? (
        <Loading what="environments" />
      ) : !chosen ? (
        <p>Create an environment first.</p>
      ) : (
        <>
          <SelectField label="Environment" value={chosen.name} options={environments.data.map((e) => e.name)} onChange={setName} />
          <SelectField label="Cluster" value={cluster?.name ?? ''} options={(clusters.data ?? []).map((c) => c.name)} onChange={setCluster} />
          {cluster ? <BackupsOf key={cluster.id} cluster={cluster} /> : <p>No clusters in this environment.</p>}
        </>
      )}
    </section>
  );
}

import { accountId } from '../api.ts';
import { clustersApi, environmentAgentApi, environmentsApi } from '../clients.ts';
import { usePagedPoll, usePoll } from '../poll.ts';
import { Link, navigate } from '../router.tsx';
import { ConfirmDelete } from '../components/dialogs.tsx';
import { Badge, ErrorBox, LoadMore, Loading } from '../components/ui.tsx';
import { clusterPhase } from '../lib/clusters.ts';
import { environmentStatus, getEnvironment, HYBRID_PROVIDER } from '../lib/environments.ts';
import { cloudPages } from '../lib/pages.ts';
import type { Environment } from '../types.ts';
import { ConfigurationPanel } from './environment/ConfigurationPanel.tsx';
import { AgentFacts, Health } from './environment/Health.tsx';
import { Installation } from './environment/Installation.tsx';
import { Versions } from './environment/Versions.tsx';
import { useCan } from '../components/permissions.tsx';

function ClustersPanel({ env }: { env: Environment }) {
  const clusters = usePagedPoll(
    cloudPages((q) => clustersApi.listClusters({ accountId: accountId(), cloudProviderId: HYBRID_PROVIDER, cloudProviderRegionId: env.id, ...q })),
    [env.id],
  );
  return (
    <section className="panel" aria-labelledby="clusters-heading">
      <div className="title">
        <h2 id="clusters-heading">Clusters</h2>
        <Link className="button" href={`/clusters/new?environment=${encodeURIComponent(env.id)}`}>
          Create cluster
        </Link>
      </div>
      {clusters.data?.items.length ? (
        <ul>
          {clusters.data.items.map((c) => (
            <li key={c.id}>
              <Link href={`/clusters/${encodeURIComponent(c.id)}`}>{c.name}</Link> <Badge value={clusterPhase(c)} />
            </li>
          ))}
        </ul>
      ) : (
        <p>No clusters in this environment.</p>
      )}
      {clusters.data && <LoadMore more={clusters.data.more} what="clusters" onMore={clusters.loadMore} />}
    </section>
  );
}

export default function EnvironmentDetail({ id }: { id: string }) {
  const environment = usePoll(() => getEnvironment(id), [id]);
  const health = usePoll(async () => (await environmentAgentApi.getEnvironmentHealth({ accountId: accountId(), hybridCloudEnvironmentId: id })).health, [id]);
  const registry = usePoll(
    async () => (await environmentAgentApi.getRegistryCredentials({ accountId: accountId(), hybridCloudEnvironmentId: id })).registryCredentials,
    [id],
    10_000,
  );
  const canDelete = useCan('delete:hybrid_cloud_environments');
  const env = environment.data;
  if (!env) return environment.error ? <ErrorBox error={environment.error} /> : <Loading what="the environment" />;
  const s = environmentStatus(env);
  return (
    <section>
      <div className="title">
        <h1>Environment {env.name}</h1>
        <Badge value={s.value} label={s.label} />
      </div>
      <dl className="facts">
        <dt>Kubernetes namespace</dt>
        <dd>
          {env.configuration?.namespace} <span className="note">(cannot change)</span>
        </dd>
        <dt>Container registry</dt>
        <dd>
          {env.configuration?.containerRegistryUrl ?? 'the release default'}
          {registry.data?.username ? ` · pull login ${registry.data.username} (password write-only)` : ' · no pull login'}
        </dd>
        <AgentFacts health={health.data} />
      </dl>
      <Health env={env} health={health.data} />
      <Installation environment={env.id} />
      <ClustersPanel env={env} />
      <Versions environment={env.id} />
      <ConfigurationPanel environment={env} onSaved={() => void environment.reload()} />
      {canDelete && (
        <ConfirmDelete
          what="environment"
          name={env.name}
          onConfirm={async () => (
            await environmentsApi.deleteHybridCloudEnvironment({ accountId: accountId(), hybridCloudEnvironmentId: env.id }),
            navigate('/environments')
          )}
        />
      )}
    </section>
  );
}

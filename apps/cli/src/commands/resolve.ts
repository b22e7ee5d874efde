// Regions (= hybrid cloud environments) and clusters named by name or id: the Cloud API takes
// ids, people type names, so both are looked up in the lists (ListHybridCloudEnvironments,
// ListClusters of the environment).
import type { clusterV1, hybridV1 } from '@qhc/cloud-api';
import { allPages, type CloudApi } from '../cloud.ts';
import { CliError, EXIT } from '../exit.ts';
import { didYouMean } from './names.ts';

/** Clusters of the Cloud API's hybrid provider live in environments: cloud_provider_region_id = the environment id. */
export const HYBRID = 'hybrid';

export async function environments(api: CloudApi): Promise<hybridV1.HybridCloudEnvironment[]> {
  return (await api.call('ListHybridCloudEnvironments', () => api.hybrid.listHybridCloudEnvironments({ accountId: api.accountId }))).items;
}

/** The environment whose id or name is `ref`. */
export async function environmentOf(api: CloudApi, ref: string): Promise<hybridV1.HybridCloudEnvironment> {
  const all = await environments(api);
  const found = all.find((e) => e.id === ref.toLowerCase()) ?? all.find((e) => e.name === ref);
  if (!found)
    throw new CliError(`region "${ref}" does not exist`, {
      code: EXIT.notFound,
      hint: didYouMean(
        ref,
        all.map((e) => e.name),
        'qhc region list',
      ),
    });
  return found;
}

/** The clusters of one environment, page after page, or the first `max`. */
export async function clustersIn(api: CloudApi, environmentId: string, max?: number): Promise<clusterV1.Cluster[]> {
  return allPages(
    (pageToken, pageSize) =>
      api.call('ListClusters', () =>
        api.clusters.listClusters({ accountId: api.accountId, cloudProviderId: HYBRID, cloudProviderRegionId: environmentId, pageSize, pageToken }),
      ),
    max,
  );
}

/** The cluster whose id or name is `ref` in the environment. */
export async function clusterOf(api: CloudApi, environment: hybridV1.HybridCloudEnvironment, ref: string): Promise<clusterV1.Cluster> {
  const all = await clustersIn(api, environment.id);
  const found = all.find((c) => c.id === ref.toLowerCase()) ?? all.find((c) => c.name === ref);
  if (!found)
    throw new CliError(`cluster "${ref}" does not exist in region ${environment.name}`, {
      code: EXIT.notFound,
      hint: didYouMean(
        ref,
        all.map((c) => c.name),
        `qhc cluster list --region ${environment.name}`,
      ),
    });
  return found;
}

import type { MessageInitShape } from '@bufbuild/protobuf';
import type { clusterV1 } from '@qhc/cloud-api';
import type { ClusterPageAsk, CloudClusterRecord } from '../../repositories/cloud-clusters.ts';
import type { Db } from '../../db/db.ts';
import type { CloudDeps } from '../context.ts';
import { clusterAnswer } from './view.ts';
import { invalid, isUuid } from './validate.ts';

// ListClusters: the account's clusters, filtered by provider and environment, a page at a time.
// The page token is the offset of the page's first cluster in the list's stable order (oldest
// first), which the database pages: only the page's rows are read.

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 250;

function pageOf(req: clusterV1.ListClustersRequest): { offset: number; size: number } {
  const size = req.pageSize ?? DEFAULT_PAGE_SIZE;
  if (size < 1 || size > MAX_PAGE_SIZE) throw invalid([{ field: 'page_size', message: `must be between 1 and ${MAX_PAGE_SIZE}, got ${size}` }]);
  const token = req.pageToken;
  if (token !== undefined && !/^(0|[1-9]\d{0,8})$/.test(token))
    throw invalid([{ field: 'page_token', message: 'is not a token a previous ListClusters answered with' }]);
  return { offset: token === undefined ? 0 : Number(token), size };
}

export async function listClusters(
  deps: CloudDeps,
  accountId: string,
  req: clusterV1.ListClustersRequest,
  read: (db: Db, accountId: string, ask: ClusterPageAsk) => Promise<{ items: CloudClusterRecord[]; total: number }>,
): Promise<MessageInitShape<typeof clusterV1.ListClustersResponseSchema>> {
  const { offset, size } = pageOf(req);
  const region = req.cloudProviderRegionId;
  if (region !== undefined && req.cloudProviderId === undefined)
    throw invalid([{ field: 'cloud_provider_id', message: 'is required when cloud_provider_region_id is set' }]);
  // Every qhc cluster is a hybrid one: another provider has none.
  if (req.cloudProviderId !== undefined && req.cloudProviderId !== 'hybrid') return { items: [], totalSize: 0 };
  if (region !== undefined && !isUuid(region))
    throw invalid([{ field: 'cloud_provider_region_id', message: `${JSON.stringify(region.slice(0, 64))} is not a UUID` }]);
  // One more than the page: it says whether a next page follows.
  const ask = { offset, limit: size + 1, ...(region === undefined ? {} : { regionId: region.toLowerCase() }) };
  const { items, total } = await read(deps.db, accountId, ask);
  return {
    items: items.slice(0, size).map((c) => clusterAnswer(c, deps.packages)),
    totalSize: total,
    ...(items.length > size ? { nextPageToken: String(offset + size) } : {}),
  };
}

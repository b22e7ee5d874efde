import { randomInt } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import { clusterV1 } from '@qhc/cloud-api';
import type { ClusterRecord } from '@qhc/schemas';
import { changeCluster } from '../../repositories/clusters.ts';
import { accountClusterNames, type CloudClusterRecord } from '../../repositories/cloud-clusters.ts';
import { callerOf, type CloudDeps } from '../context.ts';
import { changeable, clusterOfAccount } from './lookup.ts';
import { QDRANT_RELEASES, releaseNotesUrl, releasesFrom, type QdrantReleaseEntry } from './releases.ts';

// The ClusterService rpcs besides create/read/update/delete: actions on a cluster (each a change
// of its desired state the agent applies), name suggestions and the Qdrant releases.

type Spec = ClusterRecord['spec'];

async function changeSpec(deps: CloudDeps, cluster: CloudClusterRecord, spec: Spec, request: string): Promise<void> {
  await changeCluster(deps.db, cluster, { spec: JSON.stringify(spec) }, request);
}

/** As /api/v1 restarts: the `restartedAt` annotation, which the operator acts on (a rolling restart). */
async function restart(deps: CloudDeps, cluster: CloudClusterRecord): Promise<void> {
  if (cluster.spec.suspend) throw new ConnectError(`cluster ${cluster.id} is suspended: unsuspend it instead`, Code.FailedPrecondition);
  const at = new Date(deps.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  await changeCluster(deps.db, cluster, { annotations: JSON.stringify({ ...cluster.annotations, restartedAt: at }) }, 'restart of every node');
}

/** The operator's suspend: no pods, the volumes kept. Asking again is no change. */
async function suspend(deps: CloudDeps, cluster: CloudClusterRecord, suspended: boolean): Promise<void> {
  if ((cluster.spec.suspend === true) === suspended) return;
  await changeSpec(deps, cluster, { ...cluster.spec, suspend: suspended }, suspended ? 'suspend' : 'resume');
}

/** Once on, it stays on (as the Cloud API documents); the key secrets are unchanged. */
async function enableJwtRbac(deps: CloudDeps, cluster: CloudClusterRecord): Promise<void> {
  if (cluster.spec.config?.service?.jwt_rbac === true) return;
  const config = { ...cluster.spec.config, service: { ...cluster.spec.config?.service, jwt_rbac: true } };
  await changeSpec(deps, cluster, { ...cluster.spec, config }, 'JWT RBAC on');
}

const ADJECTIVES = [
  'amber',
  'brave',
  'calm',
  'deep',
  'eager',
  'fast',
  'gentle',
  'happy',
  'keen',
  'lucid',
  'mellow',
  'noble',
  'quiet',
  'rapid',
  'swift',
  'vivid',
];
const NOUNS = [
  'falcon',
  'harbor',
  'island',
  'lynx',
  'meadow',
  'nebula',
  'orbit',
  'otter',
  'pine',
  'quasar',
  'river',
  'summit',
  'tundra',
  'valley',
  'willow',
  'zephyr',
];
const pick = (words: readonly string[]) => words[randomInt(words.length)]!;

/** A free name of the Cloud API's rules: two words, then a number when both are taken. */
export function suggestName(taken: ReadonlySet<string>): string {
  for (let attempt = 0; attempt < 20; attempt++) {
    const name = `${pick(ADJECTIVES)}-${pick(NOUNS)}`;
    if (!taken.has(name)) return name;
  }
  for (let n = 2; ; n++) {
    const name = `${pick(ADJECTIVES)}-${pick(NOUNS)}-${n}`;
    if (!taken.has(name)) return name;
  }
}

const release = (r: QdrantReleaseEntry) =>
  create(clusterV1.QdrantReleaseSchema, {
    version: r.version,
    default: r.default === true,
    releaseNotesUrl: releaseNotesUrl(r.version),
    endOfLife: r.endOfLife === true,
    unavailable: false,
  });

type Actions = Pick<
  ServiceImpl<typeof clusterV1.ClusterService>,
  'restartCluster' | 'suspendCluster' | 'unsuspendCluster' | 'enableClusterJwtRbac' | 'suggestClusterName' | 'listQdrantReleases' | 'getQdrantRelease'
>;

export function clusterActions(deps: CloudDeps): Actions {
  const live = async (accountId: string, clusterId: string) => changeable(await clusterOfAccount(deps, accountId, clusterId));
  return {
    restartCluster: async (req, ctx) => (await restart(deps, await live(callerOf(ctx).accountId, req.clusterId)), {}),
    suspendCluster: async (req, ctx) => (await suspend(deps, await live(callerOf(ctx).accountId, req.clusterId), true), {}),
    unsuspendCluster: async (req, ctx) => (await suspend(deps, await live(callerOf(ctx).accountId, req.clusterId), false), {}),
    enableClusterJwtRbac: async (req, ctx) => (await enableJwtRbac(deps, await live(callerOf(ctx).accountId, req.clusterId)), {}),
    suggestClusterName: async (_req, ctx) => ({ name: suggestName(await accountClusterNames(deps.db, callerOf(ctx).accountId)) }),
    async listQdrantReleases(req, ctx) {
      if (req.clusterId === undefined) return { items: QDRANT_RELEASES.map(release) };
      const cluster = await clusterOfAccount(deps, callerOf(ctx).accountId, req.clusterId);
      return { items: releasesFrom(cluster.status?.version ?? cluster.spec.version).map(release) };
    },
    async getQdrantRelease(req) {
      const wanted = req.version === 'latest' ? QDRANT_RELEASES.find((r) => r.default)?.version : req.version.replace(/^(?=\d)/, 'v');
      const found = QDRANT_RELEASES.find((r) => r.version === wanted);
      if (!found) throw new ConnectError(`Qdrant release ${req.version.slice(0, 64)} is not offered`, Code.NotFound);
      return { release: release(found) };
    },
  };
}

// The check after the fault: what the restarted control plane answers through the Cloud API
// against the writers' ledgers (support/cloud-workload.ts).
import { qhcV1, type clusterV1 } from '@qhc/cloud-api';
import type { CloudChild, CloudFixture } from './cloud-child.ts';
import { backupsAt, type CloudLedger } from './cloud-workload.ts';

export interface CloudVerdict {
  /** Acknowledged changes not found. */
  dataLost: number;
  /** Broken promises: a change applied in part, or more applied than was asked. */
  inconsistencies: string[];
  /** Changes found applied in all (acknowledged or not): what the environment's revision must count. */
  applied: number;
}

interface ClusterState {
  exists: boolean;
  nodes?: number;
  restarted?: boolean;
  deleted?: boolean;
}
function clusterStateAt(k: number): ClusterState {
  if (k === 0) return { exists: false };
  return { exists: true, nodes: k >= 4 ? 3 : k >= 2 ? 2 : 1, restarted: k >= 3, deleted: k >= 5 };
}
const stateOf = (c: clusterV1.Cluster | undefined): ClusterState =>
  c
    ? { exists: true, nodes: c.configuration?.numberOfNodes, restarted: c.state?.restartedAt !== undefined, deleted: c.deletedAt !== undefined }
    : { exists: false };

async function environmentClusters(cp: CloudChild, fx: CloudFixture): Promise<Map<string, clusterV1.Cluster>> {
  const found = new Map<string, clusterV1.Cluster>();
  let pageToken: string | undefined;
  do {
    const filter = { accountId: cp.accountId, cloudProviderId: 'hybrid', cloudProviderRegionId: fx.environmentId, pageSize: 250 };
    const page = await cp.clients.clusters.listClusters({ ...filter, ...(pageToken ? { pageToken } : {}) }, cp.options);
    for (const c of page.items) found.set(c.name, c);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return found;
}

async function requestedEvents(cp: CloudChild, clusterId: string): Promise<number> {
  const page = await cp.clients.events.listClusterEvents({ accountId: cp.accountId, clusterId, pageSize: 1000 }, cp.options);
  return page.items.filter((e) => e.type === qhcV1.ClusterEventType.REQUESTED).length;
}

/** Compares what the (restarted) control plane holds with the writers' ledgers; `baseline`: the revision before the writers. */
export async function verifyCloud(cp: CloudChild, fx: CloudFixture, ledgers: CloudLedger[], baseline: number): Promise<CloudVerdict> {
  const verdict: CloudVerdict = { dataLost: 0, inconsistencies: [], applied: 0 };
  const account = (ledger: CloudLedger, applied: number | undefined, found: string) => {
    if (applied === undefined || applied > ledger.acked + (ledger.inflight ? 1 : 0)) {
      verdict.inconsistencies.push(`${ledger.name}: found ${found} after ${ledger.acked} acknowledged step(s)${ledger.inflight ? ' and one in flight' : ''}`);
      return;
    }
    verdict.dataLost += Math.max(0, ledger.acked - applied);
    verdict.applied += applied;
  };
  const clusters = await environmentClusters(cp, fx);
  for (const ledger of ledgers.filter((l) => /^c\d+-\d+$/.test(l.name))) {
    const stored = clusters.get(ledger.name);
    const state = stateOf(stored);
    const k = [0, 1, 2, 3, 4, 5].find((i) => JSON.stringify(clusterStateAt(i)) === JSON.stringify(state));
    // The change and its event are one transaction: as many "requested" events as steps applied.
    const requested = stored ? await requestedEvents(cp, stored.id) : 0;
    if (k !== undefined && requested !== k) verdict.inconsistencies.push(`${ledger.name}: ${k} step(s) applied but ${requested} requested event(s)`);
    account(ledger, k, JSON.stringify(state));
  }
  const ids = { accountId: cp.accountId, hybridCloudEnvironmentId: fx.environmentId };
  const env = (await cp.clients.hybrid.getHybridCloudEnvironment(ids, cp.options)).hybridCloudEnvironment!;
  const storageClass = env.configuration?.databaseStorageClass;
  account(ledgerNamed(ledgers, 'environment'), storageClass === undefined ? 0 : Number(storageClass.replace(/^sc-/, '')), `storage class ${storageClass}`);
  const seq = env.status?.numberOfNodes ?? 0;
  account(ledgerNamed(ledgers, 'status'), seq, `status seq ${seq}`);
  verdict.applied -= seq; // Status reports do not move the revision.
  const listed = await cp.clients.backups.listBackups({ accountId: cp.accountId, clusterId: fx.fixtureClusterId }, cp.options);
  const backups = listed.items.map((b) => `${b.displayName}${b.deletedAt ? ' deleted' : ''}`).toSorted();
  const backupLedger = ledgerNamed(ledgers, 'backups');
  const k = [...Array(backupLedger.sent + 1).keys()].find((i) => JSON.stringify(backupsAt(i)) === JSON.stringify(backups));
  account(backupLedger, k, backups.join(', ') || 'no backups');
  // Every change bumps the revision once, in the same transaction.
  const revision = (await cp.agent('GET', '/agent/v1/desired-state', fx.agentToken)).json.revision as number;
  if (revision !== baseline + verdict.applied)
    verdict.inconsistencies.push(`revision ${revision}, but ${verdict.applied} change(s) applied on top of revision ${baseline}`);
  return verdict;
}

function ledgerNamed(ledgers: CloudLedger[], name: string): CloudLedger {
  return ledgers.find((l) => l.name === name)!;
}

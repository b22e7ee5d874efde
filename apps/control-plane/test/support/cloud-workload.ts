// workload.ts driven through the Cloud API: concurrent writers, each keeping a ledger of what was
// acknowledged (the call returned) and what was in flight when the control plane went away; and
// the check, on the restarted control plane, that every acknowledged change is there and each was
// applied whole (the row, its event and the environment's revision bump together).
import type { CloudChild, CloudFixture } from './cloud-child.ts';
import { PACKAGE } from './cloud-child.ts';

/** One writer's history: how many steps it sent, how many were acknowledged, whether one was in flight. */
export interface CloudLedger {
  name: string;
  sent: number;
  acked: number;
  inflight: boolean;
}

export interface CloudWorkload {
  ledgers: CloudLedger[];
  /** Failures while the control plane was up (none expected). */
  unexpected: string[];
  /** Resolves once `killAfter` changes were acknowledged in all. */
  threshold: Promise<void>;
  /** Resolves when every writer has stopped (each stops at its first failed call). */
  done: Promise<void>;
  acked(): number;
  /** Called before the control plane is killed: failures from then on are the kill's. */
  killing(): void;
}

type Step = () => Promise<unknown>;
const CLUSTER_STEPS = 5;
const configuration = (numberOfNodes: number) => ({ numberOfNodes, version: 'v1.16.3', packageId: PACKAGE });
const newLedger = (name: string): CloudLedger => ({ name, sent: 0, acked: 0, inflight: false });

/** A cluster's five steps (create, 2 nodes, restart, 3 nodes, delete); each changes something visible. */
function clusterSteps(cp: CloudChild, fx: CloudFixture, name: string): (i: number) => Step | undefined {
  const { clusters } = cp.clients;
  const accountId = cp.accountId;
  const base = { accountId, name, cloudProviderId: 'hybrid', cloudProviderRegionId: fx.environmentId };
  let id = '';
  const nodes = (n: number) => () =>
    clusters.updateCluster({ cluster: { ...base, id, configuration: configuration(n) }, updateMask: { paths: ['configuration.number_of_nodes'] } }, cp.options);
  const steps: Step[] = [
    async () => (id = (await clusters.createCluster({ cluster: { ...base, configuration: configuration(1) } }, cp.options)).cluster!.id),
    nodes(2),
    () => clusters.restartCluster({ accountId, clusterId: id }, cp.options),
    nodes(3),
    () => clusters.deleteCluster({ accountId, clusterId: id }, cp.options),
  ];
  return (i) => steps[i];
}

/** Backups bk-0, bk-1, …; every third one deleted right after it was made. */
function backupSteps(cp: CloudChild, fx: CloudFixture): (i: number) => Step {
  const ids = new Map<string, string>();
  return (i) => {
    const name = `bk-${backupNumber(i)}`;
    if (i % 4 === 3) return () => cp.clients.backups.deleteBackup({ accountId: cp.accountId, backupId: ids.get(name)! }, cp.options);
    return async () => {
      const made = await cp.clients.backups.createBackup(
        { backup: { accountId: cp.accountId, clusterId: fx.fixtureClusterId, displayName: name } },
        cp.options,
      );
      ids.set(name, made.backup!.id);
    };
  };
}
const backupNumber = (i: number) => Math.floor(i / 4) * 3 + (i % 4 === 3 ? 2 : i % 4);

/** What the backups list holds after `k` steps: names, " deleted" for those deleted. */
export function backupsAt(k: number): string[] {
  const names = new Map<string, string>();
  for (let i = 0; i < k; i++) {
    const name = `bk-${backupNumber(i)}`;
    names.set(name, i % 4 === 3 ? `${name} deleted` : name);
  }
  return [...names.values()].toSorted();
}

/** The environment's database storage class counts its updates; the agent's reports carry their number in numberOfNodes. */
function environmentStep(cp: CloudChild, fx: CloudFixture, i: number): Step {
  const hybridCloudEnvironment = {
    accountId: cp.accountId,
    id: fx.environmentId,
    name: 'r',
    configuration: { namespace: 'ns-r', databaseStorageClass: `sc-${i + 1}` },
  };
  return () =>
    cp.clients.hybrid.updateHybridCloudEnvironment({ hybridCloudEnvironment, updateMask: { paths: ['configuration.database_storage_class'] } }, cp.options);
}
function statusStep(cp: CloudChild, fx: CloudFixture, i: number): Step {
  const report = {
    appliedRevision: 0,
    region: { phase: 'Ready', numberOfNodes: i + 1 },
    clusters: [{ id: fx.fixtureClusterId, phase: i % 2 ? 'Running' : 'Healthy' }],
  };
  return async () => {
    const answer = await cp.agent('POST', '/agent/v1/status', fx.agentToken, report);
    if (answer.status !== 204) throw new Error(`status report: ${answer.status} ${answer.text}`);
  };
}

/**
 * Writers until the control plane goes away: `clusterWriters` each creating, scaling, restarting
 * and deleting clusters one after the other; one updating the environment; one creating and
 * deleting backups; the agent reporting status.
 */
export function startCloudWorkload(cp: CloudChild, fx: CloudFixture, options: { killAfter: number; clusterWriters?: number }): CloudWorkload {
  const ledgers: CloudLedger[] = [];
  const unexpected: string[] = [];
  let total = 0;
  let down = false;
  let reached!: () => void;
  const threshold = new Promise<void>((resolve) => (reached = resolve));
  const run = async (ledger: CloudLedger, next: (i: number) => Step | undefined) => {
    ledgers.push(ledger);
    for (let i = 0; ; i++) {
      const step = next(i);
      if (!step) return;
      Object.assign(ledger, { sent: ledger.sent + 1, inflight: true });
      try {
        await step();
      } catch (error) {
        // Once the kill is under way, this step's fate is unknown; before, it is a failure.
        if (!down) unexpected.push(`${ledger.name} step ${i}: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      Object.assign(ledger, { acked: ledger.acked + 1, inflight: false });
      if (++total >= options.killAfter) reached();
    }
  };
  const writers: Array<Promise<void>> = [];
  for (let w = 0; w < (options.clusterWriters ?? 6); w++) {
    writers.push(
      (async () => {
        for (let j = 0; ; j++) {
          const ledger = newLedger(`c${w}-${j}`);
          await run(ledger, clusterSteps(cp, fx, ledger.name));
          if (ledger.acked < CLUSTER_STEPS) return;
        }
      })(),
    );
  }
  writers.push(run(newLedger('environment'), (i) => environmentStep(cp, fx, i)));
  writers.push(run(newLedger('backups'), backupSteps(cp, fx)));
  writers.push(run(newLedger('status'), (i) => statusStep(cp, fx, i)));
  return { ledgers, unexpected, threshold, done: Promise.all(writers).then(() => undefined), acked: () => total, killing: () => void (down = true) };
}

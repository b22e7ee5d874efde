// Concurrent writers against a control plane, each keeping a ledger of what was acknowledged
// (a 2xx reached it) and what was in flight when the control plane went away; and the check, on
// the restarted control plane, that every acknowledged change is there and each change was
// applied whole (the row, its event and the region's revision bump together).
import type { ChildControlPlane } from './child.ts';
import type { ApiAnswer, Body } from './http.ts';

type Call = ChildControlPlane['call'];
interface Step {
  method: string;
  path: string;
  body?: unknown;
  token?: string;
}

/** One writer's history: its steps in order, how many were acknowledged, whether one was in flight. */
export interface Ledger {
  name: string;
  steps: Step[];
  acked: number;
  inflight: boolean;
}

/** What a cluster's six steps leave behind, step by step: each step changes something visible. */
const CLUSTER_STEPS = ['create', 'scale 2', 'cpu 2', 'restart', 'scale 3', 'delete'] as const;
interface ClusterState {
  exists: boolean;
  size?: number;
  cpu?: string;
  restarted?: boolean;
  deleted?: boolean;
}
function clusterStateAt(k: number): ClusterState {
  if (k === 0) return { exists: false };
  return { exists: true, size: k >= 5 ? 3 : k >= 2 ? 2 : 1, cpu: k >= 3 ? '2' : '1', restarted: k >= 4, deleted: k >= 6 };
}
const spec = (size: number, cpu: string) => ({ version: 'v1.16.2', size, resources: { cpu, memory: '1Gi', storage: '1Gi' } });
function clusterStep(name: string, step: (typeof CLUSTER_STEPS)[number]): Step {
  const base = `/api/v1/regions/r/clusters/${name}`;
  switch (step) {
    case 'create':
      return { method: 'POST', path: '/api/v1/regions/r/clusters', body: { name, spec: spec(1, '1') } };
    case 'scale 2':
      return { method: 'POST', path: `${base}/scale`, body: { size: 2 } };
    case 'cpu 2':
      return { method: 'PUT', path: base, body: { spec: spec(2, '2') } };
    case 'restart':
      return { method: 'POST', path: `${base}/restart` };
    case 'scale 3':
      return { method: 'POST', path: `${base}/scale`, body: { size: 3 } };
    case 'delete':
      return { method: 'DELETE', path: base };
  }
}

export interface Workload {
  ledgers: Ledger[];
  /** Answers that were neither 2xx nor a lost connection (none expected). */
  unexpected: string[];
  /** Resolves once `killAfter` changes were acknowledged in all. */
  threshold: Promise<void>;
  /** Resolves when every writer has stopped (each stops at its first failed request). */
  done: Promise<void>;
  acked(): number;
}

/**
 * Writers until the control plane goes away: `clusterWriters` each creating, scaling, updating,
 * restarting and deleting clusters one after the other; one updating the region (its
 * operatorVersion counts the updates); one creating and deleting backups; the agent reporting status.
 */
export function startWorkload(call: Call, agentToken: string, options: { killAfter: number; clusterWriters?: number }): Workload {
  const ledgers: Ledger[] = [];
  const unexpected: string[] = [];
  let total = 0;
  let reached!: () => void;
  const threshold = new Promise<void>((resolve) => (reached = resolve));
  const run = async (ledger: Ledger, next: (i: number) => Step | undefined) => {
    ledgers.push(ledger);
    for (let i = 0; ; i++) {
      const step = next(i);
      if (!step) return;
      ledger.steps.push(step);
      ledger.inflight = true;
      let answer: ApiAnswer;
      try {
        answer = await call(step.method, step.path, step.body, step.token);
      } catch {
        return; // The control plane went away: this step's fate is unknown.
      }
      if (answer.status < 200 || answer.status >= 300) {
        unexpected.push(`${ledger.name}: ${step.method} ${step.path} → ${answer.status} ${answer.text}`);
        return;
      }
      ledger.inflight = false;
      ledger.acked++;
      if (++total >= options.killAfter) reached();
    }
  };
  const writers: Array<Promise<void>> = [];
  for (let w = 0; w < (options.clusterWriters ?? 6); w++) {
    writers.push(
      (async () => {
        for (let j = 0; ; j++) {
          const name = `c${w}-${j}`;
          const ledger: Ledger = { name, steps: [], acked: 0, inflight: false };
          await run(ledger, (i) => (i < CLUSTER_STEPS.length ? clusterStep(name, CLUSTER_STEPS[i]!) : undefined));
          if (ledger.acked < CLUSTER_STEPS.length) return;
        }
      })(),
    );
  }
  writers.push(run({ name: 'region', steps: [], acked: 0, inflight: false }, (i) => ({ method: 'PUT', path: '/api/v1/regions/r', body: regionBody(i + 1) })));
  writers.push(run({ name: 'backups', steps: [], acked: 0, inflight: false }, backupStep));
  writers.push(
    run({ name: 'status', steps: [], acked: 0, inflight: false }, (i) => ({
      method: 'POST',
      path: '/agent/v1/status',
      token: agentToken,
      body: { appliedRevision: 0, region: { phase: 'Ready', numberOfNodes: i + 1 }, clusters: [{ id: FIXTURE_CLUSTER, phase: i % 2 ? 'Running' : 'Healthy' }] },
    })),
  );
  return { ledgers, unexpected, threshold, done: Promise.all(writers).then(() => undefined), acked: () => total };
}

/** A cluster no writer touches: backups and status reports name it (backups need a live cluster). */
export const FIXTURE_CLUSTER = 'fixture';

const regionBody = (n: number) => ({ name: 'r', namespace: 'ns-r', agentVersion: '0.1.0', operatorVersion: `0.1.${n}` });

/** Backups bk-0, bk-1, …; every third one deleted right after it was made. */
function backupStep(i: number): Step {
  const n = Math.floor(i / 4) * 3 + (i % 4 === 3 ? 2 : i % 4);
  if (i % 4 === 3) return { method: 'DELETE', path: `/api/v1/regions/r/backups/bk-${n}` };
  return {
    method: 'POST',
    path: '/api/v1/regions/r/backups',
    body: { name: `bk-${n}`, clusterId: FIXTURE_CLUSTER, spec: { 'cluster-id': FIXTURE_CLUSTER, retention: '72h' } },
  };
}

export interface Verdict {
  /** Acknowledged changes not found. */
  dataLost: number;
  /** Broken promises: a change applied in part, or more applied than was asked. */
  inconsistencies: string[];
  /** Changes found applied in all (acknowledged or not): what the region's revision must count. */
  applied: number;
}

/** Compares what the (restarted) control plane holds with the writers' ledgers. */
export async function verify(call: Call, ledgers: Ledger[]): Promise<Verdict> {
  const verdict: Verdict = { dataLost: 0, inconsistencies: [], applied: 0 };
  const account = (ledger: Ledger, applied: number | undefined, found: string) => {
    if (applied === undefined || applied > ledger.acked + (ledger.inflight ? 1 : 0)) {
      verdict.inconsistencies.push(`${ledger.name}: found ${found} after ${ledger.acked} acknowledged step(s)${ledger.inflight ? ' and one in flight' : ''}`);
      return;
    }
    verdict.dataLost += Math.max(0, ledger.acked - applied);
    verdict.applied += applied;
  };
  const clusters = new Map<string, Record<string, Body>>(
    ((await call('GET', '/api/v1/regions/r/clusters?limit=1000')).json.items as Array<Record<string, Body>>).map((c) => [c.name as string, c]),
  );
  for (const ledger of ledgers.filter((l) => /^c\d+-\d+$/.test(l.name))) {
    const stored = clusters.get(ledger.name);
    const state: ClusterState = stored
      ? {
          exists: true,
          size: stored.spec.size,
          cpu: stored.spec.resources.cpu,
          restarted: Boolean(stored.annotations?.restartedAt),
          deleted: Boolean(stored.deletedAt),
        }
      : { exists: false };
    const k = [0, 1, 2, 3, 4, 5, 6].find((i) => JSON.stringify(clusterStateAt(i)) === JSON.stringify(state));
    const requested = stored
      ? ((await call('GET', `/api/v1/regions/r/clusters/${ledger.name}/events`)).json.items as Array<{ type: string }>).filter((e) => e.type === 'Requested')
          .length
      : 0;
    // The change and its event are one transaction: as many "Requested" events as steps applied.
    if (k !== undefined && requested !== k) verdict.inconsistencies.push(`${ledger.name}: ${k} step(s) applied but ${requested} Requested event(s)`);
    account(ledger, k, JSON.stringify(state));
  }
  const region = (await call('GET', '/api/v1/regions/r')).json;
  const regionLedger = ledgers.find((l) => l.name === 'region')!;
  account(regionLedger, Number(String(region.spec.operatorVersion).split('.')[2]), `operatorVersion ${region.spec.operatorVersion}`);
  const statusLedger = ledgers.find((l) => l.name === 'status')!;
  // The report's sequence number rides in a field the report contract keeps (numberOfNodes).
  const seq = Number(region.status?.numberOfNodes ?? 0);
  account(statusLedger, seq, `status seq ${seq}`);
  verdict.applied -= seq; // Status reports do not move the revision.
  const backups = ((await call('GET', '/api/v1/regions/r/backups')).json.items as Array<{ name: string; deletedAt?: string }>).map(
    (b) => `${b.name}${b.deletedAt ? ' deleted' : ''}`,
  );
  const backupLedger = ledgers.find((l) => l.name === 'backups')!;
  const k = [...Array(backupLedger.steps.length + 1).keys()].find((i) => JSON.stringify(backupsAt(i)) === JSON.stringify(backups.toSorted()));
  account(backupLedger, k, backups.join(', ') || 'no backups');
  // Every change bumps the revision once, in the same transaction; region creation made it 1, the fixture cluster 2.
  if (region.revision !== 2 + verdict.applied)
    verdict.inconsistencies.push(`region revision ${region.revision}, but ${verdict.applied} change(s) applied on top of revision 2`);
  return verdict;
}

function backupsAt(k: number): string[] {
  const names = new Map<string, string>();
  for (let i = 0; i < k; i++) {
    const step = backupStep(i);
    const name = step.method === 'POST' ? (step.body as { name: string }).name : step.path.split('/').pop()!;
    names.set(name, step.method === 'POST' ? name : `${name} deleted`);
  }
  return [...names.values()].toSorted();
}

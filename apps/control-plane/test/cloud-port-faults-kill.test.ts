// faults-kill.test.ts on the Cloud API: the control plane killed (SIGKILL) in the middle of
// concurrent Cloud API writes, then started again on the same database. Every change whose call
// returned must be there, every change applied whole (row, event, revision bump), and the control
// plane must serve again. PostgreSQL runs with fsync=off (test/support/postgres.ts): fine here,
// since only the control plane dies; the database server and the OS keep everything it committed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { PACKAGE, recordResult, setUpEnvironment, spawnCloudControlPlane, untilOk, type CloudChild, type CloudFixture } from './support/cloud-child.ts';
import { createTestDatabase } from './support/postgres.ts';
import { verifyCloud } from './support/cloud-verify.ts';
import { startCloudWorkload, type CloudLedger } from './support/cloud-workload.ts';

/** mulberry32: the same kill point for the same seed (QHC_FAULT_SEED to try others). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

let running: CloudChild | undefined;
afterEach(async () => {
  await running?.kill('SIGKILL');
  running = undefined;
});

const databaseOf = async (dialect: 'sqlite' | 'postgres') =>
  dialect === 'sqlite'
    ? join(mkdtempSync(join(tmpdir(), 'qhc-cloud-fault-')), 'cp.db')
    : createTestDatabase(inject('postgresUrl'), `cloud_fault_kill_${process.pid}`);

/** After the restart: a new cluster, retried until the control plane takes it (its ledger, acknowledged). */
async function recover(second: CloudChild, fx: CloudFixture): Promise<CloudLedger> {
  const cluster = {
    accountId: second.accountId,
    name: 'c99-0',
    cloudProviderId: 'hybrid',
    cloudProviderRegionId: fx.environmentId,
    configuration: { numberOfNodes: 1, version: 'v1.16.3', packageId: PACKAGE },
  };
  await untilOk(() => second.clients.clusters.createCluster({ cluster }, second.options));
  return { name: 'c99-0', sent: 1, acked: 1, inflight: false };
}

describe.each(['sqlite', 'postgres'] as const)('fault: the control plane killed mid-write through the Cloud API (%s)', (dialect) => {
  it('keeps every acknowledged change, applies none in part, and serves again on restart', async () => {
    const seed = Number(process.env.QHC_FAULT_SEED ?? 1919) + (dialect === 'sqlite' ? 0 : 1);
    const killAfter = 40 + Math.floor(random(seed)() * 120);
    const database = await databaseOf(dialect);
    const first = await spawnCloudControlPlane(database);
    running = first;
    const fx = await setUpEnvironment(first);
    const baseline = (await first.agent('GET', '/agent/v1/desired-state', fx.agentToken)).json.revision as number;

    const workload = startCloudWorkload(first, fx, { killAfter });
    await workload.threshold;
    workload.killing();
    await first.kill('SIGKILL');
    const killedAt = performance.now();
    await workload.done;
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(workload.unexpected).toEqual([]);

    const second = await spawnCloudControlPlane(database);
    running = second;
    expect(second.accountId).toBe(first.accountId);
    const recovered = await recover(second, fx);
    const recoverMs = Math.round(performance.now() - killedAt);

    const verdict = await verifyCloud(second, fx, [...workload.ledgers, recovered], baseline);
    expect(verdict.inconsistencies).toEqual([]);
    expect(verdict.dataLost).toBe(0);
    // The check is not vacuous: two more acknowledged environment updates than happened are missed.
    const overclaimed = workload.ledgers.map((l) => (l.name === 'environment' ? { ...l, acked: l.acked + 2, inflight: false } : l));
    expect((await verifyCloud(second, fx, [...overclaimed, recovered], baseline)).dataLost).toBeGreaterThan(0);
    // It went on writing, and the agent still gets its desired state.
    expect(workload.acked()).toBeGreaterThanOrEqual(killAfter);
    expect((await second.agent('GET', '/agent/v1/desired-state?after=-1', fx.agentToken)).status).toBe(200);
    recordResult(`cloud-kill-${dialect}`, {
      fault: `control plane SIGKILL mid-write through the Cloud API (${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}; seed ${seed}, after ${killAfter} acknowledged changes; 9 concurrent writers)`,
      checked: `all ${workload.acked()} acknowledged changes (clusters, backups, environment, agent status) present; ${verdict.applied} revision-bumping changes each applied whole (row + event + bump); serves after restart`,
      recoverMs,
      dataLost: verdict.dataLost,
    });
  }, 60_000);
});

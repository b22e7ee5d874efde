// Fault: the control plane killed (SIGKILL) in the middle of concurrent writes, then started
// again on the same database. Every change whose 2xx reached its client must be there, every
// change applied whole (row, event, revision bump), and the control plane must serve again.
// PostgreSQL runs with fsync=off (test/support/postgres.ts): fine here, since only the control
// plane dies; the database server and the OS keep everything it committed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { recordResult, setUpRegion, spawnControlPlane, untilSuccess, type ChildControlPlane } from './support/child.ts';
import { createTestDatabase } from './support/postgres.ts';
import { startWorkload, verify, type Ledger } from './support/workload.ts';

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

let running: ChildControlPlane | undefined;
afterEach(async () => {
  await running?.kill('SIGKILL');
  running = undefined;
});

describe.each(['sqlite', 'postgres'] as const)('fault: the control plane killed mid-write (%s)', (dialect) => {
  it('keeps every acknowledged change, applies none in part, and serves again on restart', async () => {
    const seed = Number(process.env.QHC_FAULT_SEED ?? 1919) + (dialect === 'sqlite' ? 0 : 1);
    const killAfter = 40 + Math.floor(random(seed)() * 120);
    const database =
      dialect === 'sqlite'
        ? join(mkdtempSync(join(tmpdir(), 'qhc-fault-')), 'cp.db')
        : await createTestDatabase(inject('postgresUrl'), `fault_kill_${process.pid}`);
    const first = await spawnControlPlane(database);
    running = first;
    const agent = await setUpRegion(first);

    const workload = startWorkload(first.call, agent, { killAfter });
    await workload.threshold;
    await first.kill('SIGKILL');
    const killedAt = performance.now();
    await workload.done;
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(workload.unexpected).toEqual([]);

    const second = await spawnControlPlane(database);
    running = second;
    const recovered: Ledger = { name: 'c99-0', steps: [{ method: 'POST', path: '/api/v1/regions/r/clusters' }], acked: 0, inflight: true };
    await untilSuccess(() =>
      second.call('POST', '/api/v1/regions/r/clusters', {
        name: 'c99-0',
        spec: { version: 'v1.16.2', size: 1, resources: { cpu: '1', memory: '1Gi', storage: '1Gi' } },
      }),
    );
    const recoverMs = Math.round(performance.now() - killedAt);
    Object.assign(recovered, { acked: 1, inflight: false });

    const verdict = await verify(second.call, [...workload.ledgers, recovered]);
    expect(verdict.inconsistencies).toEqual([]);
    expect(verdict.dataLost).toBe(0);
    // The check is not vacuous: two more acknowledged region updates than happened are missed.
    const overclaimed = workload.ledgers.map((l) => (l.name === 'region' ? { ...l, acked: l.acked + 2, inflight: false } : l));
    expect((await verify(second.call, [...overclaimed, recovered])).dataLost).toBeGreaterThan(0);
    // It went on writing, and the agent still gets its desired state.
    expect(workload.acked()).toBeGreaterThanOrEqual(killAfter);
    expect((await second.call('GET', '/agent/v1/desired-state?after=-1', undefined, agent)).status).toBe(200);
    recordResult(`kill-${dialect}`, {
      fault: `control plane SIGKILL mid-write (${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}; seed ${seed}, after ${killAfter} acknowledged changes; 9 concurrent writers)`,
      checked: `all ${workload.acked()} acknowledged changes (clusters, backups, region, agent status) present; ${verdict.applied} revision-bumping changes each applied whole (row + event + bump: revision = 2 + changes, after the region and a fixture cluster); serves after restart`,
      recoverMs,
      dataLost: verdict.dataLost,
    });
  }, 60_000);
});

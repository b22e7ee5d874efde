// The agent's path to the control plane black-holed for 2 minutes (a proxy that holds
// connections and drops every byte, in flight and new), then restored. During the outage a
// cluster is scaled and another created through the API: both are acknowledged there, and
// must reach the region after the restore, each applied once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { clusterRef, lost, waitConverged, type Cluster } from './support/clusters.ts';
import { startHybrid, type Hybrid } from './support/hybrid.ts';
import { recordResult } from './support/results.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

const OUTAGE_MS = 120_000;
const sandbox = useSandboxNamespace('fault-blackhole');
let h: Hybrid;
let proxy: TcpProxy;

beforeAll(async () => {
  h = await startHybrid(sandbox);
  proxy = await startTcpProxy(Number(new URL(h.cp.url).port));
});
afterAll(async () => {
  await h?.stop();
  await proxy?.close();
});

describe('the agent black-holed for 2 minutes', () => {
  it('recovers on its own and applies the changes made during the outage', async () => {
    const agent = h.startAgent(`https://127.0.0.1:${proxy.port}`);
    const steady = await h.createCluster('steady', 1);
    const sizes = new Map([[steady, 1]]);
    await waitConverged(h.client, sandbox.namespace, sizes, 60_000);
    const before = await h.client.get<Cluster>(clusterRef(sandbox.namespace, steady));

    proxy.blackhole();
    const outageStarted = Date.now();
    // Acknowledged by the API (it would throw otherwise) while the agent cannot hear of it.
    await h.scaleCluster(steady, 2);
    const during = await h.createCluster('during', 1);
    sizes.set(steady, 2).set(during, 1);
    const failures = agent.count(/control plane request failed/);
    // The fault's length is the issue's: two minutes of silence, not a wait for an event.
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - outageStarted)));
    const away = await h.client.get<Cluster>(clusterRef(sandbox.namespace, steady));
    // Untouched while away: the region keeps what it had.
    expect(away?.spec.size).toBe(1);
    expect(away?.status?.phase).toBe('Healthy');
    // The agent noticed (its requests time out) rather than waiting forever on a dead socket.
    expect(agent.count(/control plane request failed/)).toBeGreaterThan(failures);

    proxy.restore();
    const restoredAt = Date.now();
    const { at, last } = await waitConverged(h.client, sandbox.namespace, sizes, 90_000);
    await h.waitApiHealthy([steady, during], 60_000);
    const after = last.clusters.get(steady)!;
    expect(after.metadata.uid).toBe(before?.metadata.uid);
    // One create and one scale: two generations, no more.
    expect(after.metadata.generation).toBe(2);
    expect(last.clusters.get(during)!.metadata.generation).toBe(1);
    expect(last.statefulSets.get(steady)![0]!.metadata.generation).toBe(2);
    recordResult('3-agent-blackhole', {
      fault: 'agent ↔ control plane black-holed for 2 min, then restored',
      checked: 'scale and create made during the outage applied once; untouched during; Healthy in the API',
      recoverMs: at - restoredAt,
      dataLost: lost(last, sizes),
    });
  }, 300_000);
});

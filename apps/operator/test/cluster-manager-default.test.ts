// The region's default for the cluster manager (settings.clusterManager.enable and
// .rebalanceStrategy) applies to clusters that leave spec.clusterManager and
// spec.rebalanceStrategy unset; a cluster's own fields win. The cluster manager is a
// real HTTP server on 127.0.0.1 that records each manage call and answers "Balanced".
import { createServer, type Server } from 'node:http';
import { waitFor } from '@qhc/kube-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorOptions } from '../src/index.ts';
import { useOperator, type Cluster } from './support/harness.ts';

const calls: Array<{ cluster: { name: string }; rebalanceStrategy?: string }> = [];
let server: Server;
const extra: Partial<OperatorOptions> = {};

// Registered before the harness's own beforeAll, so the operator starts with the URL.
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      calls.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'Balanced', description: 'nothing to move' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  extra.clusterManagerUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const h = useOperator('cm-default', '  clusterManager:\n    enable: true\n    rebalanceStrategy: by_count\n    pullInterval: 1\n', extra);
const healthy = (c: Cluster) => c.status?.phase === 'Healthy';
const callsFor = (id: string) => calls.filter((c) => c.cluster.name === `qdrant-${id}`);

describe("the settings' clusterManager default", () => {
  it('settings.clusterManager.enable turns the cluster manager on for a cluster that leaves spec.clusterManager unset, with settings.clusterManager.rebalanceStrategy', async () => {
    await h.client.apply(h.clusterObject('cm-unset'));
    await h.waitFor('cm-unset', 'Healthy', healthy);
    const seen = await waitFor('manage calls for cm-unset', async () => (callsFor('cm-unset').length > 0 ? callsFor('cm-unset') : undefined), {
      timeoutMs: 30_000,
    });
    expect(seen.every((c) => c.rebalanceStrategy === 'by_count')).toBe(true);
    const status = await h.waitFor('cm-unset', "the manager's answer in status", (c) => c.status?.clusterManagerResponse?.status === 'Balanced');
    expect(status.status?.nextClusterManagerInvocation).toBeDefined();
  });

  it("the cluster's spec.rebalanceStrategy wins over the settings'", async () => {
    await h.client.apply(h.clusterObject('cm-size', { rebalanceStrategy: 'by_size' }));
    const seen = await waitFor('manage calls for cm-size', async () => (callsFor('cm-size').length > 0 ? callsFor('cm-size') : undefined), {
      timeoutMs: 60_000,
    });
    expect(seen.every((c) => c.rebalanceStrategy === 'by_size')).toBe(true);
  });

  it("spec.clusterManager: false wins over the settings' enable", async () => {
    await h.client.apply(h.clusterObject('cm-off', { clusterManager: false }));
    const healthyNow = await h.waitFor('cm-off', 'Healthy', healthy);
    // Every pass of a cluster that uses the manager calls it; this one has had several passes.
    expect(callsFor('cm-off')).toEqual([]);
    expect(healthyNow.status?.clusterManagerResponse).toBeUndefined();
  });
});

import { waitFor } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { QDRANT_API_VERSION, allKinds, buildCrd, defaultOperatorSettings } from '@qhc/schemas';
import { qdrantClusterFixture } from '@qhc/schemas/test';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BackupController } from '../src/backup/controller.ts';
import { ClusterController } from '../src/controller.ts';
import { OperatorMetrics } from '../src/metrics.ts';
import type { QdrantAccess } from '../src/qdrant/access.ts';
import type * as ClusterModule from '../src/reconcile/cluster.ts';

// A pass that waits as a drain does: until its signal aborts (handlerTimeout is hours).
const passSignals: AbortSignal[] = [];
vi.mock('../src/reconcile/cluster.ts', async (original) => ({
  ...(await original<typeof ClusterModule>()),
  reconcileCluster: (deps: { signal: AbortSignal }) =>
    new Promise((_, reject) => {
      passSignals.push(deps.signal);
      deps.signal.addEventListener('abort', () => reject(deps.signal.reason as Error), { once: true });
    }),
}));

const sandbox = useSandboxNamespace('controller-stop');
let client: KubeClient;

beforeAll(async () => {
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-test' });
  for (const kind of allKinds) await client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
  await waitFor('CRDs served', () => client.list({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, { namespace: sandbox.namespace }).then(() => true));
});

const options = () => ({
  client,
  settings: () => defaultOperatorSettings(),
  logger: createLogger({ level: 'error', component: 'test' }),
  metrics: new OperatorMetrics(),
  namespace: sandbox.namespace,
  identity: 'test',
  qdrant: {} as QdrantAccess,
});

describe('ClusterController.stop', () => {
  it('aborts the passes in flight (a long drain) and returns once they end', async () => {
    const controller = new ClusterController(options());
    await controller.start();
    await client.apply(qdrantClusterFixture('stop', {}, { namespace: sandbox.namespace }) as unknown as KubeObject);
    const signal = await waitFor('a pass in flight', async () => passSignals[0]);
    expect(signal.aborted).toBe(false);
    const stopped = controller.stop();
    await waitFor('the pass aborted', async () => (signal.aborted ? true : undefined));
    await stopped;
  });
});

// Leadership lost while the caches sync: the informers stop before they list, so they never
// sync; start() must return rather than wait for them, and start nothing after the stop.
describe.each([
  ['ClusterController', () => new ClusterController(options())],
  ['BackupController', () => new BackupController(options())],
])('%s stopped while starting', (_, create) => {
  it('start() returns, and a start() after stop() does nothing', async () => {
    const controller = create();
    const starting = controller.start();
    await controller.stop();
    // Before: both waited for ever on informers that were stopped before they listed.
    await expect(starting).resolves.toBeUndefined();
    await expect(controller.start()).resolves.toBeUndefined();
    // Nothing was listed, so nothing is cached to queue.
    expect(controller.requeueAll()).toBe(0);
    await controller.stop();
  });
});

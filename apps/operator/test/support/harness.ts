// An operator on the shared sandbox, in its own namespace, whose Qdrant nodes are served by
// the in-process Qdrant double. The double's peers follow the pods: a pod that exists has
// joined as the peer of its database volume (same volume, same peer; new volume, new peer).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@qhc/kube-sandbox';
import { useSandboxNamespace, type SandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { Informer, createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { joinPodsAsPeers, peerUri, startQdrantDouble, type ClusterSimulation, type QdrantDouble } from '@qhc/qdrant-double';
import { QDRANT_API_VERSION, allKinds, buildCrd, clusterResourceName, type QdrantCluster } from '@qhc/schemas';
import { qdrantClusterFixture } from '@qhc/schemas/test';
import { afterAll, beforeAll } from 'vitest';
import { startOperator, type OperatorOptions, type RunningOperator } from '../../src/index.ts';
import { eventsAbout, listEventsAbout, withReasons, type ObjectEvent } from './events.ts';

export type Cluster = KubeObject & Pick<QdrantCluster, 'spec' | 'status'>;
export interface Pod extends KubeObject {
  spec: { containers: Array<{ name: string; image: string; resources?: { limits?: Record<string, string> } }> };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

export interface Harness {
  sandbox: SandboxNamespace;
  client: KubeClient;
  double: QdrantDouble;
  operator: RunningOperator;
  ref(id: string): { apiVersion: string; kind: string; namespace: string; name: string };
  clusterObject(id: string, spec?: Record<string, unknown>, annotations?: Record<string, string>): KubeObject;
  /** The double's simulation of a cluster (created on first use). */
  sim(id: string): ClusterSimulation;
  waitFor(id: string, what: string, until: (c: Cluster) => boolean, timeoutMs?: number): Promise<Cluster>;
  pods(id: string): Promise<Pod[]>;
  /**
   * The cluster's events. With `until`, waits until they satisfy it: the operator records an
   * event after the write a test waits for, so a test that reads them at once can miss it.
   */
  events(id: string, until?: (events: ObjectEvent[]) => boolean): Promise<ObjectEvent[]>;
  /** Stops the operator (as a crash would) and starts a new one with the same options. */
  restartOperator(): Promise<void>;
}

// Tests take withReasons with the harness.
export { withReasons };

export const ready = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export function useOperator(prefix: string, settingsYaml = '', extra: Partial<OperatorOptions> = {}): Harness {
  const sandbox = useSandboxNamespace(prefix);
  const h = { sandbox } as Harness;
  const sims = new Map<string, ClusterSimulation>();
  attachQueries(h, sims);

  const joinPods = async (clusterKey: string) => {
    const id = /\/qdrant-(.+)$/.exec(clusterKey)?.[1];
    const sim = id ? sims.get(id) : undefined;
    if (id && sim) await joinPodsAsPeers(h.client, sandbox.namespace, id, sim);
  };

  beforeAll(async () => {
    h.client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-operator-test' });
    for (const kind of allKinds) await h.client.apply(buildCrd(kind) as unknown as KubeObject, { fieldManager: 'qhc-crd-installer' });
    await waitFor('CRDs served', () =>
      h.client.list({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster' }, { namespace: sandbox.namespace }).then(() => true),
    );
    h.double = await startQdrantDouble();
    h.double.onRequest = (call) => joinPods(call.cluster);
    const options = operatorOptions(prefix, sandbox, h.double, settingsYaml, extra);
    h.operator = await startOperator(options);
    h.restartOperator = async () => {
      await h.operator.stop({ release: false });
      h.operator = await startOperator(options);
    };
  });
  afterAll(async () => {
    await h.operator?.stop();
    await h.double?.close();
  });
  return h;
}

/** The harness's reads and builders of the namespace's clusters, pods and events. */
function attachQueries(h: Harness, sims: Map<string, ClusterSimulation>): void {
  const { sandbox } = h;
  h.ref = (id) => ({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantCluster', namespace: sandbox.namespace, name: clusterResourceName(id) });
  h.clusterObject = (id, spec = {}, annotations) => qdrantClusterFixture(id, spec, { namespace: sandbox.namespace, annotations });
  h.sim = (id) => {
    let sim = sims.get(id);
    if (!sim) {
      sim = h.double.cluster(`${sandbox.namespace}/${clusterResourceName(id)}`, peerUri(sandbox.namespace, id));
      sims.set(id, sim);
    }
    return sim;
  };
  h.waitFor = (id, what, until, timeoutMs = 60_000) => {
    let last: Cluster | undefined;
    return waitFor(
      `${clusterResourceName(id)}: ${what}`,
      async () => {
        last = await h.client.get<Cluster>(h.ref(id));
        return last && until(last) ? last : undefined;
      },
      {
        timeoutMs,
        intervalMs: 200,
        onTimeout: () => `last status: ${JSON.stringify({ generation: last?.metadata.generation, ...last?.status, conditions: undefined, nodes: undefined })}`,
      },
    );
  };
  h.pods = async (id) =>
    (await h.client.list<Pod>({ apiVersion: 'v1', kind: 'Pod' }, { namespace: sandbox.namespace, labelSelector: `cluster-id=${id}` })).items;
  h.events = (id, until) => {
    const name = clusterResourceName(id);
    return until ? eventsAbout(h.client, sandbox.namespace, name, until) : listEventsAbout(h.client, sandbox.namespace, name);
  };
}

/** A local-environment operator with a fast back-off, its Qdrant calls sent to the double. */
function operatorOptions(
  prefix: string,
  sandbox: SandboxNamespace,
  double: QdrantDouble,
  settingsYaml: string,
  extra: Partial<OperatorOptions>,
): OperatorOptions {
  const dir = mkdtempSync(join(tmpdir(), 'qhc-operator-'));
  const settingsPath = join(dir, 'settings.yaml');
  writeFileSync(settingsPath, `settings:\n  app_environment: local\n  backOff:\n    minDelay: 1\n    maxDelay: 3\n    increment: 1\n${settingsYaml}`);
  return {
    settingsPath,
    kubeconfigPath: sandbox.kubeconfigPath,
    namespace: sandbox.namespace,
    leaseNamespace: sandbox.namespace,
    leaderElection: false,
    port: 0,
    logger: createLogger({ level: 'warn', component: `qhc-operator-${prefix}` }),
    qdrantUrlTemplate: `${double.url}/{namespace}%2F{name}/{node}`,
    ...extra,
  };
}

/**
 * Watches a cluster's pods and keeps the lowest number of Ready pods seen at once, and
 * every pod name that was deleted: how a rollout went, from the pods' point of view.
 */
export async function watchRollout(h: Harness, id: string) {
  const informer = new Informer(h.client, { apiVersion: 'v1', kind: 'Pod', namespace: h.sandbox.namespace, labelSelector: `cluster-id=${id}` });
  const readyNow = new Set<string>();
  const state = { minReady: Number.POSITIVE_INFINITY, deletions: [] as string[], recreated: new Set<string>() };
  const initial = new Map<string, string>();
  const track = (pod: KubeObject) => {
    const p = pod as Pod;
    if (ready(p) && !p.metadata.deletionTimestamp) readyNow.add(p.metadata.uid!);
    else readyNow.delete(p.metadata.uid!);
    if (initial.size > 0 && initial.get(p.metadata.name!) !== p.metadata.uid) state.recreated.add(p.metadata.name!);
    state.minReady = Math.min(state.minReady, readyNow.size);
  };
  informer.on({
    add: track,
    update: track,
    delete: (pod) => {
      readyNow.delete(pod.metadata.uid!);
      state.deletions.push(pod.metadata.name!);
      state.minReady = Math.min(state.minReady, readyNow.size);
    },
  });
  informer.start();
  await informer.waitForSync();
  for (const pod of await h.pods(id)) initial.set(pod.metadata.name!, pod.metadata.uid!);
  state.minReady = readyNow.size;
  return { state, stop: () => informer.stop() };
}

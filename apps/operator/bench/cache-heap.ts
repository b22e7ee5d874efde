// The informer cache's live heap, without an apiserver: N clusters' objects (as
// @qhc/manifests builds them, decorated as the apiserver returns them, and one pod each),
// each parsed from its own JSON as a watch event is, run through the cache transform and
// kept; the heap after a full GC, against the heap before. Not a test: it prints one line.
//   node --expose-gc bench/cache-heap.ts [N] [transform module]
// The transform module (default ../src/cache-transform.ts) exports cacheTransform(kind);
// `none` keeps the parsed objects whole: the wire form.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { KubeObject } from '@qhc/kube';
import { buildClusterObjects } from '@qhc/manifests';
import { defaultOperatorSettings, validateQdrantCluster } from '@qhc/schemas';
import { cluster } from './support.ts';

const n = Number(process.argv[2] ?? 3000);
const module = process.argv[3] ?? '../src/cache-transform.ts';
const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('run with node --expose-gc');
type Transform = (kind: string) => (object: KubeObject) => KubeObject;
const transform: Transform =
  module === 'none'
    ? () => (object) => object
    : ((await import(module.startsWith('.') ? new URL(module, import.meta.url).href : pathToFileURL(resolve(module)).href)) as { cacheTransform: Transform })
        .cacheTransform;

let version = 1000;
/** What the apiserver adds to an applied object: identity, versions, the applier's managedFields. */
function served(object: KubeObject, owner: { name: string; uid: string }): KubeObject {
  const time = new Date(Date.UTC(2026, 0, 1, 0, 0, version % 60)).toISOString().replace('.000', '');
  const fieldsV1 = Object.fromEntries(Object.keys(object).map((key) => [`f:${key}`, { '.': {} }]));
  return {
    ...object,
    metadata: {
      ...object.metadata,
      uid: randomUUID(),
      resourceVersion: String(version++),
      generation: 1,
      creationTimestamp: time,
      ownerReferences: [{ apiVersion: 'qdrant.io/v1', kind: 'QdrantCluster', name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true }],
      managedFields: [{ manager: 'qhc-operator', operation: 'Apply', apiVersion: object.apiVersion, time, fieldsType: 'FieldsV1', fieldsV1 }],
    },
  };
}

/** A node's pod as the kubelet reports it: the shape the Pod informer sees. */
function pod(statefulSet: KubeObject, owner: { name: string; uid: string }): KubeObject {
  const template = (
    statefulSet as unknown as { spec: { template: { metadata: KubeObject['metadata']; spec: { containers: Array<{ name: string; image: string }> } } } }
  ).spec.template;
  const started = '2026-01-01T00:00:00Z';
  const condition = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: started });
  const object = served(
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...template.metadata, name: `${statefulSet.metadata.name}-0`, namespace: statefulSet.metadata.namespace },
      spec: { ...template.spec, nodeName: `node-${version % 50}`, serviceAccountName: 'default' },
      status: {
        phase: 'Running',
        podIP: `10.0.${version % 250}.${version % 200}`,
        startTime: started,
        conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition),
        containerStatuses: template.spec.containers.map((c) => ({
          name: c.name,
          image: c.image,
          ready: true,
          restartCount: 0,
          state: { running: { startedAt: started } },
        })),
      },
    },
    owner,
  );
  return object;
}

const settings = defaultOperatorSettings();
const transforms = new Map<string, (object: KubeObject) => KubeObject>();
const kept: KubeObject[] = [];
collect();
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < n; i++) {
  const owner = { name: `qdrant-b${i}`, uid: randomUUID() };
  const objects = buildClusterObjects(validateQdrantCluster(cluster('qdrant-bench', i)), settings) as KubeObject[];
  const sts = objects.find((o) => o.kind === 'StatefulSet')!;
  for (const object of [...objects, pod(sts, owner)]) {
    const wire = JSON.stringify(served(object, owner));
    let apply = transforms.get(object.kind);
    if (!apply) transforms.set(object.kind, (apply = transform(object.kind)));
    kept.push(apply(JSON.parse(wire) as KubeObject));
  }
}
collect();
collect();
const used = process.memoryUsage().heapUsed - before;
console.log(
  `${n} clusters, ${kept.length} objects, transform ${module}: live heap ${(used / 2 ** 20).toFixed(1)} MiB, ${Math.round(used / kept.length)} B/object`,
);

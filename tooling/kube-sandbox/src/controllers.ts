import type { SandboxClient } from './http.ts';

// Test doubles for the two CSI sidecars the sandbox has no driver for:
// - the snapshotter: a VolumeSnapshot of a PVC becomes ready with a VolumeSnapshotContent;
//   annotations make one fail (`sandbox.qhc.dev/fail: <message>`) or wait
//   (`sandbox.qhc.dev/delay-seconds: <n>`, counted from its creation);
// - the external resizer: a bigger request on a PVC of an expandable class is granted by
//   setting the PV's and the claim's capacity.
// They poll (every 200 ms) rather than watch: simple, and restart-proof by construction.

export const ANNOTATION_FAIL = 'sandbox.qhc.dev/fail';
export const ANNOTATION_DELAY_SECONDS = 'sandbox.qhc.dev/delay-seconds';
const DRIVER = 'sandbox.qhc.dev';

interface Meta {
  name: string;
  namespace?: string;
  uid: string;
  creationTimestamp: string;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  resourceVersion?: string;
}
interface VolumeSnapshot {
  metadata: Meta;
  spec: { source: { persistentVolumeClaimName?: string }; volumeSnapshotClassName?: string };
  status?: { readyToUse?: boolean; error?: { message?: string }; boundVolumeSnapshotContentName?: string };
}
interface Pvc {
  metadata: Meta;
  spec: { storageClassName?: string; volumeName?: string; resources?: { requests?: { storage?: string } } };
  status?: { phase?: string; capacity?: { storage?: string }; conditions?: unknown[] };
}
interface List<T> {
  items: T[];
}

export interface SandboxControllers {
  /** Snapshots this controller has made ready or failed, by namespace/name. */
  readonly handled: ReadonlyMap<string, 'ready' | 'failed'>;
  stop(): Promise<void>;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export function startSandboxControllers(client: SandboxClient, intervalMs = 200): SandboxControllers {
  const handled = new Map<string, 'ready' | 'failed'>();
  const state = { stopped: false };
  let running: Promise<void> = Promise.resolve();

  const tick = async () => {
    await reconcileSnapshots(client, handled);
    await garbageCollectContents(client);
    await resizeClaims(client);
  };
  const loop = async () => {
    while (!state.stopped) {
      running = tick().catch(() => undefined);
      await running;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  };
  void loop();
  return {
    handled,
    async stop() {
      state.stopped = true;
      await running;
    },
  };
}

async function reconcileSnapshots(client: SandboxClient, handled: Map<string, 'ready' | 'failed'>): Promise<void> {
  const snapshots = await client.call<List<VolumeSnapshot>>('GET', '/apis/snapshot.storage.k8s.io/v1/volumesnapshots');
  for (const snapshot of snapshots?.items ?? []) {
    const { metadata, spec, status } = snapshot;
    const key = `${metadata.namespace}/${metadata.name}`;
    if (metadata.deletionTimestamp || status?.readyToUse || status?.error?.message) continue;
    const path = `/apis/snapshot.storage.k8s.io/v1/namespaces/${metadata.namespace}/volumesnapshots/${metadata.name}/status`;
    const envelope = { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: metadata.name, namespace: metadata.namespace } };

    const failure = metadata.annotations?.[ANNOTATION_FAIL];
    if (failure !== undefined) {
      await client.apply(
        path,
        { ...envelope, status: { readyToUse: false, error: { message: failure || 'snapshot failed', time: now() } } },
        'sandbox-snapshotter',
      );
      handled.set(key, 'failed');
      continue;
    }
    const delay = Number(metadata.annotations?.[ANNOTATION_DELAY_SECONDS] ?? 0);
    if (Date.now() < Date.parse(metadata.creationTimestamp) + delay * 1000) continue;

    const claimName = spec.source.persistentVolumeClaimName;
    const pvc = claimName
      ? await client.call<Pvc>('GET', `/api/v1/namespaces/${metadata.namespace}/persistentvolumeclaims/${claimName}`, { allowNotFound: true })
      : undefined;
    if (!pvc || pvc.status?.phase !== 'Bound') {
      const reason = claimName ? `PersistentVolumeClaim ${claimName} is not bound` : 'the snapshot has no source claim';
      await client.apply(path, { ...envelope, status: { readyToUse: false, error: { message: reason, time: now() } } }, 'sandbox-snapshotter');
      handled.set(key, 'failed');
      continue;
    }
    const restoreSize = pvc.status.capacity?.storage ?? pvc.spec.resources?.requests?.storage ?? '0';
    const contentName = `snapcontent-${metadata.uid}`;
    await client.apply(
      `/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents/${contentName}`,
      {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshotContent',
        metadata: { name: contentName },
        spec: {
          deletionPolicy: 'Delete',
          driver: DRIVER,
          volumeSnapshotClassName: spec.volumeSnapshotClassName,
          source: { volumeHandle: pvc.spec.volumeName ?? claimName },
          volumeSnapshotRef: {
            apiVersion: 'snapshot.storage.k8s.io/v1',
            kind: 'VolumeSnapshot',
            name: metadata.name,
            namespace: metadata.namespace,
            uid: metadata.uid,
          },
        },
      },
      'sandbox-snapshotter',
    );
    await client.apply(
      `/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents/${contentName}/status`,
      {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshotContent',
        metadata: { name: contentName },
        status: { readyToUse: true, snapshotHandle: `snap-${metadata.uid}`, creationTime: Date.now() * 1_000_000, restoreSize: toBytes(restoreSize) },
      },
      'sandbox-snapshotter',
    );
    await client.apply(
      path,
      { ...envelope, status: { boundVolumeSnapshotContentName: contentName, creationTime: now(), readyToUse: true, restoreSize } },
      'sandbox-snapshotter',
    );
    handled.set(key, 'ready');
  }
}

/** A content whose snapshot is gone is deleted, as deletionPolicy: Delete says. */
async function garbageCollectContents(client: SandboxClient): Promise<void> {
  type Content = { metadata: Meta; spec: { driver: string; volumeSnapshotRef: { name: string; namespace: string; uid?: string } } };
  const contents = await client.call<List<Content>>('GET', '/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents');
  for (const content of contents?.items ?? []) {
    if (content.spec.driver !== DRIVER) continue;
    const ref = content.spec.volumeSnapshotRef;
    const snapshot = await client.call<VolumeSnapshot>('GET', `/apis/snapshot.storage.k8s.io/v1/namespaces/${ref.namespace}/volumesnapshots/${ref.name}`, {
      allowNotFound: true,
    });
    if (!snapshot || (ref.uid && snapshot.metadata.uid !== ref.uid)) {
      await client.call('DELETE', `/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents/${content.metadata.name}`, { allowNotFound: true });
    }
  }
}

async function resizeClaims(client: SandboxClient): Promise<void> {
  const claims = await client.call<List<Pvc>>('GET', '/api/v1/persistentvolumeclaims');
  for (const pvc of claims?.items ?? []) {
    const requested = pvc.spec.resources?.requests?.storage;
    const current = pvc.status?.capacity?.storage;
    if (!requested || !current || pvc.status?.phase !== 'Bound' || pvc.spec.storageClassName !== 'qhc-expandable') continue;
    if (toBytes(requested) <= toBytes(current)) continue;
    if (pvc.spec.volumeName) {
      await client.call('PATCH', `/api/v1/persistentvolumes/${pvc.spec.volumeName}`, {
        body: { spec: { capacity: { storage: requested } } },
        contentType: 'application/merge-patch+json',
      });
    }
    await client.call('PATCH', `/api/v1/namespaces/${pvc.metadata.namespace}/persistentvolumeclaims/${pvc.metadata.name}/status`, {
      body: { status: { capacity: { storage: requested }, conditions: null, allocatedResources: { storage: requested }, allocatedResourceStatuses: null } },
      contentType: 'application/merge-patch+json',
    });
  }
}

const UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };

/** Bytes of a storage quantity such as "10Gi"; the sandbox's sizes are whole numbers. */
export function toBytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.exec(quantity);
  if (!match) throw new Error(`not a storage quantity: ${quantity}`);
  return Math.round(Number(match[1]) * UNITS[match[2] ?? '']!);
}

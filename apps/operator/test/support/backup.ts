// The backup tests' operator (its clock movable: schedules and retention without waiting for
// them) and their reads of snapshots, schedules and restores.
import { waitFor } from '@qhc/kube-sandbox';
import type { KubeObject } from '@qhc/kube';
import { QDRANT_API_VERSION } from '@qhc/schemas';
import { clusterRestoreFixture, clusterSnapshotFixture } from '@qhc/schemas/test';
import { eventsAbout, withReasons } from './events.ts';
import { useOperator } from './harness.ts';

export type Snapshot = KubeObject & {
  spec: Record<string, unknown>;
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    volumeSnapshots?: Array<{ volumeSnapshotName: string; volumeName: string; readyToUse?: boolean }>;
    startedAt?: string;
    completedAt?: string;
    completionTime?: string;
    retainUntil?: string;
  };
};
export type VolumeSnapshot = KubeObject & {
  spec: { source: { persistentVolumeClaimName: string }; volumeSnapshotClassName: string };
  status?: { readyToUse?: boolean };
};
export type Claim = KubeObject & { spec: { dataSource?: { kind: string; name: string }; storageClassName?: string } };
export type Restore = KubeObject & { status?: { phase?: string; reason?: string; message?: string; restoredClaims?: string[]; step?: string } };
type Ref = { apiVersion: string; kind: string; namespace: string; name: string };

export const healthy =
  (n: number) => (c: { metadata: { generation?: number }; status?: { phase?: string; availableNodes?: number; observedGeneration?: number } }) =>
    c.status?.phase === 'Healthy' && c.status.availableNodes === n && c.status.observedGeneration === c.metadata.generation;

export function useBackupOperator() {
  const time = { offsetMs: 0 };
  const clock = () => Date.now() + time.offsetMs;
  const h = useOperator('backup', '  backupTimeout: 4\n  backupHistoryRetentionDays: 1\n', { now: clock });
  const ns = () => h.sandbox.namespace;
  const ref = (kind: string) => (name: string) => ({ apiVersion: QDRANT_API_VERSION, kind, namespace: ns(), name });
  const snapshotRef = ref('QdrantClusterSnapshot');
  const restoreRef = ref('QdrantClusterRestore');
  const scheduleRef = ref('QdrantClusterScheduledSnapshot');
  /** Waits for the object's phase to be one of `phases`; the last status on a timeout. */
  const phaseIn =
    <T extends KubeObject & { status?: { phase?: string } }>(what: string, refOf: (name: string) => Ref, defaultTimeoutMs: number) =>
    (name: string, phases: string[], timeoutMs = defaultTimeoutMs): Promise<T> => {
      let last: T | undefined;
      return waitFor(
        `${what} ${name} ${phases.join('|')}`,
        async () => {
          last = await h.client.get<T>(refOf(name));
          return last?.status?.phase && phases.includes(last.status.phase) ? last : undefined;
        },
        { timeoutMs, intervalMs: 200, onTimeout: () => JSON.stringify(last?.status) },
      );
    };
  return {
    h,
    time,
    clock,
    ns,
    snapshotRef,
    restoreRef,
    scheduleRef,
    snapshotIn: phaseIn<Snapshot>('snapshot', snapshotRef, 30_000),
    restoreIn: phaseIn<Restore>('restore', restoreRef, 60_000),
    async takeSnapshot(name: string, id: string, extra: { annotations?: Record<string, string>; retention?: string } = {}) {
      await h.client.apply(
        clusterSnapshotFixture(name, id, extra.retention ? { retention: extra.retention } : {}, { namespace: ns(), annotations: extra.annotations }),
      );
    },
    async restore(name: string, snapshot: string, destination: { name: string; create?: boolean; namespace?: string }, id = 'b1') {
      await h.client.apply(clusterRestoreFixture(name, snapshot, id, { destination: { namespace: ns(), ...destination } }, { namespace: ns() }));
    },
    volumeSnapshots: async (id: string) =>
      (
        await h.client.list<VolumeSnapshot>(
          { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot' },
          { namespace: ns(), labelSelector: `cluster-id=${id}` },
        )
      ).items,
    snapshotsOf: async (id: string) =>
      (await h.client.list<Snapshot>(snapshotRef(''), { namespace: ns(), labelSelector: `cluster-id=${id}` })).items.filter(
        (s) => !s.metadata.deletionTimestamp,
      ),
    /** A metadata change: the operator looks at the object again (the clock moved, not the object). */
    poke: (target: Ref) => h.client.patch(target, { metadata: { annotations: { 'test.qhc.dev/poke': String(Math.random()) } } }),
    /**
     * The reasons and notes of the events about `name`, once they hold every reason given: an
     * event is recorded after the status or object a test waits for, so it may not be there yet.
     */
    eventsOf: (name: string, ...reasons: string[]) => eventsAbout(h.client, ns(), name, withReasons(...reasons), 60_000),
  };
}

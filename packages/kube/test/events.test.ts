import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { EventRecorder, addFinalizer, hasFinalizer, removeFinalizer, type KubeObject } from '../src/index.ts';
import { clientFor } from './helpers.ts';

const sandbox = useSandboxNamespace('kube-events');

interface Event extends KubeObject {
  reason: string;
  note: string;
  type: string;
  regarding: { name: string; uid: string };
  series?: { count: number };
}

describe('EventRecorder', () => {
  it('records events.k8s.io/v1 events and folds repeats into a series', async () => {
    const client = clientFor(sandbox.kubeconfigPath);
    const subject = await client.apply<KubeObject>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'subject', namespace: sandbox.namespace },
      data: {},
    });
    const recorder = new EventRecorder(client, { controller: 'qhc.dev/operator', instance: 'test-0' });
    recorder.record(subject, { type: 'Normal', reason: 'Created', note: 'created the thing', action: 'Reconcile' });
    recorder.record(subject, { type: 'Warning', reason: 'BackupFailed', note: 'disk on fire', action: 'Backup' });
    recorder.record(subject, { type: 'Warning', reason: 'BackupFailed', note: 'disk on fire', action: 'Backup' });
    recorder.record(subject, { type: 'Warning', reason: 'BackupFailed', note: 'disk on fire', action: 'Backup' });
    await recorder.flush();
    const events = await client.list<Event>({ apiVersion: 'events.k8s.io/v1', kind: 'Event' }, { namespace: sandbox.namespace });
    const mine = events.items.filter((e) => e.regarding.uid === subject.metadata.uid);
    expect(mine.map((e) => [e.type, e.reason, e.note, e.series?.count]).toSorted()).toEqual([
      ['Normal', 'Created', 'created the thing', undefined],
      ['Warning', 'BackupFailed', 'disk on fire', 3],
    ]);
  });
});

describe('finalizers', () => {
  it("adds and removes a finalizer, keeping other controllers' ones", async () => {
    const client = clientFor(sandbox.kubeconfigPath);
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: sandbox.namespace, name: 'guarded' };
    const created = await client.apply<KubeObject>(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'guarded', namespace: sandbox.namespace, finalizers: ['other.io/keep'] }, data: {} },
      { fieldManager: 'other' },
    );
    const added = await addFinalizer(client, created, 'qhc.dev/cleanup');
    expect(added.metadata.finalizers).toEqual(['other.io/keep', 'qhc.dev/cleanup']);
    expect(await addFinalizer(client, added, 'qhc.dev/cleanup')).toBe(added);
    // A stale copy is refused instead of overwriting the newer list.
    await expect(addFinalizer(client, created, 'qhc.dev/another')).rejects.toMatchObject({ status: expect.any(Number) });
    const removed = await removeFinalizer(client, added, 'qhc.dev/cleanup');
    expect(removed?.metadata.finalizers).toEqual(['other.io/keep']);
    expect(hasFinalizer(removed!, 'qhc.dev/cleanup')).toBe(false);
    await client.delete(ref);
    const terminating = await client.get(ref);
    expect(terminating?.metadata.deletionTimestamp).toBeTruthy();
    expect(await removeFinalizer(client, terminating!, 'other.io/keep')).toBeDefined();
    expect(await client.get(ref)).toBeUndefined();
  });
});

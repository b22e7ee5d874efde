import { startSandbox, waitFor, type Sandbox } from '@qhc/kube-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Informer, objectKey, type KubeObject } from '../src/index.ts';
import { clientFor } from './helpers.ts';

// This file restarts the apiserver, so it gets a sandbox of its own: the shared one serves
// other test files at the same time.
let own: Sandbox;
const sandbox = { namespace: 'default', kubeconfigPath: '', restartApiServer: () => own.restartApiServer() };
beforeAll(async () => {
  own = await startSandbox({ controllers: false });
  sandbox.kubeconfigPath = own.kubeconfigPath;
});
afterAll(async () => {
  await own?.stop();
});

const cm = (name: string, value: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: sandbox.namespace, labels: { informer: 'yes' } },
  data: { value },
});

const labelled = (name: string, team: string): KubeObject => ({ ...cm(name, 'v'), metadata: { ...cm(name, 'v').metadata, labels: { informer: 'yes', team } } });

describe('Informer', () => {
  it('delivers add, update and delete, recovers from an apiserver restart, and ends equal to the server', async () => {
    const client = clientFor(sandbox.kubeconfigPath);
    const events: string[] = [];
    const informer = new Informer(client, { apiVersion: 'v1', kind: 'ConfigMap', namespace: sandbox.namespace, labelSelector: 'informer=yes', stallMs: 5_000 });
    informer.on({
      add: (o) => events.push(`add ${o.metadata.name}`),
      update: (o, old) => events.push(`update ${o.metadata.name} ${(old.data as { value: string }).value}->${(o.data as { value: string }).value}`),
      delete: (o) => events.push(`delete ${o.metadata.name}`),
    });
    await client.apply(cm('before', '0'));
    informer.start();
    try {
      await informer.waitForSync();
      expect(events).toEqual(['add before']);

      await client.apply(cm('a', '1'));
      await client.apply(cm('a', '2'));
      await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: sandbox.namespace, name: 'before' });
      await waitFor('the watch events', async () => (events.length >= 4 ? true : undefined), { timeoutMs: 10_000 });
      expect(events).toEqual(['add before', 'add a', 'update a 1->2', 'delete before']);

      await sandbox.restartApiServer();
      // Changes after the restart arrive without anyone restarting the informer.
      await client.apply(cm('b', '1'));
      await client.apply(cm('a', '3'));
      await waitFor('events after the restart', async () => (events.includes('add b') && events.includes('update a 2->3') ? true : undefined), {
        timeoutMs: 30_000,
      });

      const server = await client.list({ apiVersion: 'v1', kind: 'ConfigMap' }, { namespace: sandbox.namespace, labelSelector: 'informer=yes' });
      const expected = Object.fromEntries(server.items.map((o) => [objectKey(o), o.metadata.resourceVersion]));
      await waitFor(
        'the cache to match the server',
        async () => {
          const cached = Object.fromEntries(informer.list().map((o) => [objectKey(o), o.metadata.resourceVersion]));
          return JSON.stringify(cached, Object.keys(cached).toSorted()) === JSON.stringify(expected, Object.keys(expected).toSorted()) ? true : undefined;
        },
        { timeoutMs: 10_000 },
      );
      expect(informer.keys().toSorted()).toEqual([`${sandbox.namespace}/a`, `${sandbox.namespace}/b`]);
      expect(informer.restarts).toBeGreaterThan(0);
    } finally {
      await informer.stop();
    }
  });

  it('re-delivers cached objects on resync', async () => {
    const client = clientFor(sandbox.kubeconfigPath);
    await client.apply(cm('steady', '1'));
    const updates: string[] = [];
    const informer = new Informer(client, { apiVersion: 'v1', kind: 'ConfigMap', namespace: sandbox.namespace, labelSelector: 'informer=yes', resyncMs: 300 });
    informer.on({ update: (o, old) => o === old && updates.push(o.metadata.name!) });
    informer.start();
    try {
      await waitFor('two resyncs', async () => (updates.filter((n) => n === 'steady').length >= 2 ? true : undefined), { timeoutMs: 10_000 });
      expect(new Set(updates)).toContain('steady');
    } finally {
      await informer.stop();
    }
  });
});

describe('Informer transform and indexes', () => {
  it('stores transformed objects, on list and on watch, and finds them by index', async () => {
    const client = clientFor(sandbox.kubeconfigPath);
    await client.apply(labelled('t1', 'red'));
    const seen: KubeObject[] = [];
    const informer = new Informer(client, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: sandbox.namespace,
      labelSelector: 'informer=yes',
      transform: (o) => {
        delete o.metadata.managedFields;
        delete (o as { data?: unknown }).data;
        return o;
      },
      indexers: { team: (o) => (o.metadata.labels?.team ? [o.metadata.labels.team] : []) },
    });
    informer.on({ add: (o) => seen.push(o), update: (o) => seen.push(o) });
    informer.start();
    try {
      await informer.waitForSync();
      await client.apply(labelled('t2', 'red'));
      await client.apply(labelled('t1', 'blue'));
      await waitFor(
        'the watch events',
        async () => (informer.byIndex('team', 'blue').length === 1 && informer.byIndex('team', 'red').length === 1 ? true : undefined),
        { timeoutMs: 10_000 },
      );
      expect(informer.byIndex('team', 'red').map((o) => o.metadata.name)).toEqual(['t2']);
      expect(informer.byIndex('team', 'blue').map((o) => o.metadata.name)).toEqual(['t1']);
      // What handlers and readers get is what was stored: transformed, from the list and the watch alike.
      for (const o of [...seen, ...informer.list()]) {
        expect(o.metadata.managedFields).toBeUndefined();
        expect((o as { data?: unknown }).data).toBeUndefined();
        expect(o.kind).toBe('ConfigMap');
      }
      await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: sandbox.namespace, name: 't2' });
      await waitFor('the delete', async () => (informer.byIndex('team', 'red').length === 0 ? true : undefined), { timeoutMs: 10_000 });
    } finally {
      await informer.stop();
    }
  });
});

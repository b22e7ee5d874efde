import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { describe, expect, it } from 'vitest';
import { KubeApiError, type KubeObject } from '../src/index.ts';
import { clientFor } from './helpers.ts';

const sandbox = useSandboxNamespace('kube-apply');

function configMap(name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: sandbox.namespace, labels: { app: 'test' } }, data };
}

describe('server-side apply', () => {
  it('creates, updates, and leaves an identical re-apply without a new resourceVersion', async () => {
    const client = clientFor(sandbox.kubeconfigPath);
    const created = await client.apply(configMap('cm1', { a: '1' }));
    expect(created.metadata.uid).toBeTruthy();
    const updated = await client.apply(configMap('cm1', { a: '2' }));
    expect(updated.data).toEqual({ a: '2' });
    expect(updated.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
    const again = await client.apply(configMap('cm1', { a: '2' }));
    expect(again.metadata.resourceVersion).toBe(updated.metadata.resourceVersion);
    const managers = (again.metadata.managedFields as Array<{ manager: string; operation: string }>).map((m) => `${m.manager}/${m.operation}`);
    expect(managers).toEqual(['qhc-test/Apply']);
  });

  it('sends the object unchanged: YAML 1.1 booleans and unusual keys survive', async () => {
    const client = clientFor(sandbox.kubeconfigPath);
    const data = { on: 'yes', 'production.yaml': 'log_level: INFO\n', 'x.y_z-1': 'NO' };
    await client.apply(configMap('cm2', data));
    const read = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: sandbox.namespace, name: 'cm2' });
    expect(read?.data).toEqual(data);
  });

  it('removes fields the manager stops applying', async () => {
    const client = clientFor(sandbox.kubeconfigPath);
    await client.apply(configMap('cm3', { keep: '1', drop: '2' }));
    const after = await client.apply(configMap('cm3', { keep: '1' }));
    expect(after.data).toEqual({ keep: '1' });
  });

  it('changes nothing on a dry run', async () => {
    const client = clientFor(sandbox.kubeconfigPath);
    const dry = await client.apply(configMap('dry', { a: '1' }), { dryRun: true });
    expect(dry.data).toEqual({ a: '1' });
    expect(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: sandbox.namespace, name: 'dry' })).toBeUndefined();
  });

  it('returns not-found as a value from get and delete', async () => {
    const client = clientFor(sandbox.kubeconfigPath);
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: sandbox.namespace, name: 'missing' };
    expect(await client.get(ref)).toBeUndefined();
    expect(await client.delete(ref)).toBe(false);
    await client.apply(configMap('gone', { a: '1' }));
    expect(await client.delete({ ...ref, name: 'gone' })).toBe(true);
    expect(await client.get({ ...ref, name: 'gone' })).toBeUndefined();
  });

  it('lists by label, and reports refusals as KubeApiError naming the object', async () => {
    const client = clientFor(sandbox.kubeconfigPath);
    const list = await client.list({ apiVersion: 'v1', kind: 'ConfigMap' }, { namespace: sandbox.namespace, labelSelector: 'app=test' });
    expect(list.items.map((i) => i.metadata.name).toSorted()).toEqual(['cm1', 'cm2', 'cm3']);
    const bad = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_Valid', namespace: sandbox.namespace } };
    const error = await client.apply(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).status).toBe(422);
    expect((error as KubeApiError).message).toContain(`ConfigMap ${sandbox.namespace}/Not_Valid`);
  });

  it('fails on an unknown kind with a message that says so', async () => {
    const client = clientFor(sandbox.kubeconfigPath);
    const error = await client.get({ apiVersion: 'example.com/v1', kind: 'Nothing', name: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as Error).message).toMatch(/no kind Nothing in example.com\/v1/);
  });
});

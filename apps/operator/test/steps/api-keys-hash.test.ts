// The pods' API keys hashed onto the pod template: a changed key in the referenced Secret changes
// the StatefulSet's template (and so rolls the pods); a cluster without keys has no hash.
import type { KubeObject } from '@qhc/kube';
import { describe, expect, it } from 'vitest';
import { API_KEYS_HASH_ANNOTATION } from '../../src/reconcile/api-keys-hash.ts';
import { clusterObject, healthyStatus } from './cluster-scenarios.ts';
import { passBefore } from './cluster-step-harness.ts';

const settled = { status: healthyStatus(1) };
const ref = (key: string) => ({ secretKeyRef: { name: 'qdrant-a-api-keys', key } });
const withKeys = clusterObject({ config: { service: { api_key: ref('api-key'), read_only_api_key: ref('read-only-api-key') } } }, settled);
const secret = (data: Record<string, string>): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'qdrant-a-api-keys', namespace: 'qdrant', labels: { 'cluster-id': 'a' } }, data }) as KubeObject;
const b64 = (text: string) => Buffer.from(text).toString('base64');

type Template = { spec: { template: { metadata: { annotations: Record<string, string> } } } };
/** The StatefulSet the pass applies, after the steps up to applyDesired. */
async function appliedTemplate(objects: KubeObject[]): Promise<Template['spec']['template']> {
  const { pass, step } = await passBefore('applyDesired', objects);
  await step.run(pass);
  return (pass.appliedSts as unknown as Template).spec.template;
}

describe('the API keys hash on the pod template', () => {
  it('changes with the Secret data the pods take their keys from, and only the annotation changes', async () => {
    const before = await appliedTemplate([withKeys, secret({ 'api-key': b64('one'), 'read-only-api-key': b64('ro') })]);
    const after = await appliedTemplate([withKeys, secret({ 'api-key': b64('two'), 'read-only-api-key': b64('ro') })]);
    const removed = await appliedTemplate([withKeys, secret({ 'api-key': b64('two') })]);
    const hashes = [before, after, removed].map((t) => t.metadata.annotations[API_KEYS_HASH_ANNOTATION]);
    expect(hashes.every((h) => /^[0-9a-f]{64}$/.test(h ?? ''))).toBe(true);
    expect(new Set(hashes).size).toBe(3);
    const without = (t: typeof before) => ({ ...t, metadata: { ...t.metadata, annotations: { ...t.metadata.annotations, [API_KEYS_HASH_ANNOTATION]: '' } } });
    expect(without(after)).toEqual(without(before));
  });

  it('is the same for the same keys (a resync rolls nothing), counts a missing Secret, and is absent without keys', async () => {
    const data = { 'api-key': b64('one') };
    const first = await appliedTemplate([withKeys, secret(data)]);
    const again = await appliedTemplate([withKeys, secret(data)]);
    expect(again).toEqual(first);
    const missing = await appliedTemplate([withKeys]);
    expect(missing.metadata.annotations[API_KEYS_HASH_ANNOTATION]).not.toBe(first.metadata.annotations[API_KEYS_HASH_ANNOTATION]);
    const plain = await appliedTemplate([clusterObject({}, settled)]);
    expect(plain.metadata.annotations).not.toHaveProperty(API_KEYS_HASH_ANNOTATION);
  });
});

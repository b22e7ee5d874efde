import { createHash } from 'node:crypto';
import type { QdrantCluster } from '@qhc/schemas';
import type { KubeObject } from '@qhc/kube';
import type { Kind } from '../cache.ts';
import type { ClusterReconcilerDeps, DesiredSts } from './cluster-pass.ts';

// Qdrant reads its API keys from env (secretKeyRef) when a pod starts: a changed key reaches the
// database only through new pods. The referenced Secrets' values are hashed onto the pod
// template, so a changed (or deleted) key changes the template and the StatefulSet rolls its pods
// through the usual rollout, as a config change does.

/** On the pod template: a hash of the API keys the pods' env resolves to. */
export const API_KEYS_HASH_ANNOTATION = 'qhc.dev/api-keys-hash';
export const SECRET: Kind = { apiVersion: 'v1', kind: 'Secret' };

type Secret = KubeObject & { data?: Record<string, string> };

/** The Secret keys the cluster's pods take their API keys from (`config.service`'s secretKeyRefs). */
export function apiKeyRefs(cluster: Pick<QdrantCluster, 'spec'>): Array<{ name: string; key: string }> {
  // Also called on clusters straight from the informer, not validated yet.
  const service = (cluster.spec as Partial<QdrantCluster['spec']> | undefined)?.config?.service;
  return [service?.api_key, service?.read_only_api_key].flatMap((ref) =>
    ref?.secretKeyRef ? [{ name: ref.secretKeyRef.name, key: ref.secretKeyRef.key }] : [],
  );
}

/**
 * The hash of the values the refs resolve to (a missing Secret or key counts as none); undefined
 * for a cluster without keys. From the informer cache when it has the Secret (the agent's carry
 * the cluster-id label it watches by), else read.
 */
export async function apiKeysHash(deps: Pick<ClusterReconcilerDeps, 'cache' | 'client'>, cluster: QdrantCluster): Promise<string | undefined> {
  const refs = apiKeyRefs(cluster);
  if (refs.length === 0) return undefined;
  const namespace = cluster.metadata.namespace;
  const values: Array<string | null> = [];
  for (const { name, key } of refs) {
    const secret = deps.cache.get<Secret>(SECRET, namespace, name) ?? (await deps.client.get<Secret>({ ...SECRET, namespace, name }));
    values.push(secret?.data?.[key] ?? null);
  }
  return hashApiKeyValues(refs.map((ref, i) => ({ ...ref, value: values[i] ?? null })));
}

/** The hash of what each ref resolves to (the Secret's base64 value, null when missing). */
export function hashApiKeyValues(entries: Array<{ name: string; key: string; value: string | null }>): string {
  return createHash('sha256')
    .update(JSON.stringify(entries.map((e) => [e.name, e.key, e.value])))
    .digest('hex');
}

/** The StatefulSet with the hash on its pod template. */
export function withApiKeysHash(sts: DesiredSts, hash: string | undefined): void {
  if (hash === undefined) return;
  const template = (sts.spec as { template?: { metadata?: { annotations?: Record<string, string> } } }).template;
  if (!template) return;
  template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [API_KEYS_HASH_ANNOTATION]: hash } };
}

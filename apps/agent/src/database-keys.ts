import { createHmac } from 'node:crypto';
import { AGENT_MANAGED_BY_LABELS } from '@qhc/manifests';
import { KubeApiError, type KubeClient, type KubeObject } from '@qhc/kube';
import type { ClusterStatusReport, DesiredCluster, DesiredState } from '@qhc/schemas';
import { generateSealingKeyPair, openSealed, publicKeyOf, sealedKeyContext, type SealingKeyPair } from '@qhc/schemas/sealing';

// Database API keys arrive sealed for this agent (the control plane keeps no plaintext): the
// agent's X25519 key pair lives in a Secret of its namespace, made on first start and reused
// after, and its public key goes in every report. Opened keys become the cluster's api-key
// Secret through the same builder as the cluster's other api keys.

/** The Secret holding the agent's private key (PKCS#8 PEM). */
export const SEALING_KEY_SECRET = 'qhc-agent-sealing-key';
const PRIVATE_KEY = 'private-key';

type Secret = KubeObject & { data?: Record<string, string> };

/** The agent's key pair: the stored one, else a new one stored now (a concurrent start's wins). */
export async function loadSealingKey(client: KubeClient, namespace: string, attempt = 0): Promise<SealingKeyPair> {
  const ref = { apiVersion: 'v1', kind: 'Secret', namespace, name: SEALING_KEY_SECRET };
  const stored = (await client.get<Secret>(ref))?.data?.[PRIVATE_KEY];
  if (stored) {
    const privateKeyPem = Buffer.from(stored, 'base64').toString('utf8');
    return { privateKeyPem, publicKey: publicKeyOf(privateKeyPem) };
  }
  const pair = generateSealingKeyPair();
  const data = { [PRIVATE_KEY]: Buffer.from(pair.privateKeyPem).toString('base64') };
  try {
    const metadata = { name: SEALING_KEY_SECRET, namespace, labels: { ...AGENT_MANAGED_BY_LABELS } };
    await client.create({ apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', data } as Secret);
  } catch (error) {
    // Made meanwhile (another start): that one is the key pair.
    if (error instanceof KubeApiError && error.isConflict && attempt === 0) return loadSealingKey(client, namespace, 1);
    throw error;
  }
  return pair;
}

/** A key of a cluster this agent's key pair cannot open (sealed for another agent's, or altered). */
export interface UnreadableKey {
  clusterId: string;
  keyId: string;
}

/**
 * A read-write key nobody knows, stable for the cluster and this key pair: a cluster whose keys
 * are managed through the API never runs without one, so deleting its last key locks it.
 */
const lockKey = (privateKeyPem: string, clusterId: string) => createHmac('sha256', privateKeyPem).update(`qhc/locked/${clusterId}`).digest('base64url');

function openCluster(cluster: DesiredCluster, privateKeyPem: string, unreadable: UnreadableKey[]): DesiredCluster {
  if (!cluster.databaseApiKeys) return cluster;
  const apiKeys = { ...cluster.apiKeys };
  for (const key of cluster.databaseApiKeys) {
    const opened = openSealed(privateKeyPem, key.sealed, sealedKeyContext(cluster.id, key.id));
    if (opened === undefined) unreadable.push({ clusterId: cluster.id, keyId: key.id });
    else if (key.slot === 'readWrite') apiKeys.apiKey = opened;
    else apiKeys.readOnlyApiKey = opened;
  }
  apiKeys.apiKey ??= lockKey(privateKeyPem, cluster.id);
  return { ...cluster, apiKeys };
}

/** The desired state with its sealed keys opened into each cluster's keys, and those that did not open. */
export function openDatabaseApiKeys(state: DesiredState, privateKeyPem: string): { state: DesiredState; unreadable: UnreadableKey[] } {
  const unreadable: UnreadableKey[] = [];
  const clusters = state.clusters.map((cluster) => openCluster(cluster, privateKeyPem, unreadable));
  return { state: { ...state, clusters }, unreadable };
}

export const UNREADABLE_KEY_CONDITION = 'DatabaseApiKeysReadable';

/** Each cluster's report with a condition naming the keys this agent could not open (never their contents). */
export function withUnreadableKeys(clusters: ClusterStatusReport[], unreadable: UnreadableKey[]): ClusterStatusReport[] {
  if (unreadable.length === 0) return clusters;
  return clusters.map((cluster) => {
    const ids = unreadable.filter((u) => u.clusterId === cluster.id).map((u) => u.keyId);
    if (ids.length === 0) return cluster;
    const condition = {
      type: UNREADABLE_KEY_CONDITION,
      status: 'False',
      reason: 'SealedForAnotherAgent',
      message: `database API key(s) ${ids.join(', ')} cannot be opened by this agent's key pair (sealed for another); delete and create them again`,
    };
    return { ...cluster, conditions: [...(cluster.conditions ?? []), condition] };
  });
}

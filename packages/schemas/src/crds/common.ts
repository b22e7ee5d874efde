import * as z from 'zod';
import { ObjectMeta, SecretKeySelector, Timestamp } from '../k8s/index.ts';
import { LABEL_CLUSTER_ID, LABEL_CUSTOMER_ID } from '../names.ts';
import { QDRANT_API_VERSION } from './kind.ts';
import type { PrinterColumn } from './kind.ts';

// Pieces shared by several qdrant.io/v1 kinds.

/** The printer column every upstream kind ends with; a few spell it `age`. */
export function ageColumn(name: 'Age' | 'age' = 'Age'): PrinterColumn {
  return { name, type: 'date', jsonPath: '.metadata.creationTimestamp' };
}

/** `{ secretKeyRef: { name, key } }`, how Qdrant's CRD points at API keys and TLS material. */
export const QdrantSecretKeyRef = z.strictObject({ secretKeyRef: SecretKeySelector });
export type QdrantSecretKeyRef = z.infer<typeof QdrantSecretKeyRef>;

/** Hours, as "72h": how long a snapshot is kept (upstream pattern `^[0-9]+h$`). */
export const Retention = z.string().regex(/^[0-9]+h$/, 'must be a number of hours such as "72h"');

/** core/v1 Event, as upstream copies the last 30 minutes of them into status. */
export const KubernetesEventInfo = z.strictObject({
  message: z.string().optional(),
  reason: z.string().optional(),
  count: z.int().min(0).optional(),
  firstTimestamp: Timestamp.optional(),
  lastTimestamp: Timestamp.optional(),
});
export type KubernetesEventInfo = z.infer<typeof KubernetesEventInfo>;

/** `apiVersion`, `kind` and `metadata` of a qdrant.io/v1 object. */
export function resourceEnvelope<K extends string>(kind: K) {
  return { apiVersion: z.literal(QDRANT_API_VERSION), kind: z.literal(kind), metadata: ObjectMeta };
}

type RefinementContext = z.core.$RefinementCtx;

/**
 * Qdrant's operator requires the `cluster-id` and `customer-id` labels on clusters and on
 * every backup object, checked in its code. `clusterId` is the id the `cluster-id` label
 * must carry, named by `clusterIdPath` in the message; undefined checks presence only.
 */
export function checkClusterLabels(
  metadata: { labels?: Record<string, string> | undefined },
  clusterId: string | undefined,
  clusterIdPath: readonly string[],
  ctx: RefinementContext,
): void {
  const labels = metadata.labels ?? {};
  const labelled = labels[LABEL_CLUSTER_ID];
  if (!labelled) {
    const example = clusterId ? `"${LABEL_CLUSTER_ID}: ${clusterId}"` : `"${LABEL_CLUSTER_ID}" (the cluster's id)`;
    ctx.addIssue({ code: 'custom', path: ['metadata', 'labels'], message: `must have the label ${example}` });
  } else if (clusterId !== undefined && labelled !== clusterId) {
    ctx.addIssue({
      code: 'custom',
      path: ['metadata', 'labels', LABEL_CLUSTER_ID],
      message: `must equal ${clusterIdPath.join('.')} (${JSON.stringify(clusterId)}), got ${JSON.stringify(labelled)}`,
    });
  }
  if (!labels[LABEL_CUSTOMER_ID]) {
    ctx.addIssue({ code: 'custom', path: ['metadata', 'labels'], message: `must have the label "${LABEL_CUSTOMER_ID}" (any non-empty value)` });
  }
}

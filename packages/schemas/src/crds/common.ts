import * as z from 'zod';
import { ObjectMeta, SecretKeySelector } from '../k8s/index.ts';
import { LABEL_CLUSTER_ID, LABEL_CUSTOMER_ID } from '../names.ts';
import { QDRANT_API_VERSION } from './kind.ts';
import type { PrinterColumn } from './kind.ts';

export const AGE_COLUMN: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

/** `{ secretKeyRef: { name, key } }`, how Qdrant's CRD points at API keys and TLS material. */
export const QdrantSecretKeyRef = z.strictObject({
  secretKeyRef: SecretKeySelector,
});

/** A timestamp as Kubernetes writes it (RFC 3339). Kept a string: the wire format. */
export const Timestamp = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 time such as "2026-01-02T15:04:05Z"' });

/** `apiVersion`, `kind` and `metadata` of a qdrant.io/v1 object. */
export function resourceEnvelope<K extends string>(kind: K) {
  return {
    apiVersion: z.literal(QDRANT_API_VERSION),
    kind: z.literal(kind),
    metadata: ObjectMeta,
  };
}

type RefinementContext = z.core.$RefinementCtx;

/**
 * Qdrant's operator requires the `cluster-id` and `customer-id` labels on clusters and on
 * every backup object, checked in its code; `clusterId` is the id they must carry.
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

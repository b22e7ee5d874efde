import * as z from 'zod';
import { QdrantSecretKeyRef } from './common.ts';

// spec.config of a QdrantCluster: the subset of Qdrant's own configuration the operator
// renders into the ConfigMap (qdrant-<id>, key production.yaml) or the environment.
// Field names are Qdrant's (snake_case) except where upstream's CRD chose camelCase.

const positiveInt = z.int().min(1);

export const QdrantConfigurationCollection = z.strictObject({
  /** Default replicas per shard for new collections. */
  replication_factor: positiveInt.optional(),
  /** Replicas that must apply a write before it succeeds. */
  write_consistency_factor: positiveInt.optional(),
  vectors: z.strictObject({ on_disk: z.boolean().optional() }).optional(),
  /** Unset on Qdrant ≥ 1.16.0: 100. */
  strict_mode: z.strictObject({ max_payload_index_count: positiveInt.optional() }).optional(),
});

export const QdrantConfigurationService = z.strictObject({
  /** Reaches the pod as env QDRANT__SERVICE__API_KEY from the Secret, never as a copy. */
  api_key: QdrantSecretKeyRef.optional(),
  read_only_api_key: QdrantSecretKeyRef.optional(),
  jwt_rbac: z.boolean().optional(),
  /** Hides the JWT page of the embedded web UI. */
  hide_jwt_dashboard: z.boolean().optional(),
  enable_tls: z.boolean().optional(),
  /** Unset: 32. */
  max_request_size_mb: positiveInt.optional(),
});

export const QdrantConfigurationTLS = z.strictObject({
  cert: QdrantSecretKeyRef.optional(),
  key: QdrantSecretKeyRef.optional(),
  /** Enables TLS between peers too; can only be set when the cluster is created. */
  caCert: QdrantSecretKeyRef.optional(),
});

export const QdrantConfigurationStorage = z.strictObject({
  performance: z
    .strictObject({
      /** 0: automatic; negative: leave that many CPUs free; positive: use that many. */
      optimizer_cpu_budget: z.int().optional(),
      /** io_uring when rescoring. */
      async_scorer: z.boolean().optional(),
    })
    .optional(),
  /** Qdrant's storage.max_collections (Qdrant ≥ 1.14.1); unset on Qdrant ≥ 1.15.0: 1000. */
  maxCollections: positiveInt.optional(),
});

export const QdrantConfigurationAudit = z.strictObject({
  /** Qdrant ≥ 1.17.0. */
  enabled: z.boolean().default(false),
  /** Unset: ./storage/audit. */
  dir: z.string().min(1).optional(),
  rotation: z.enum(['daily', 'hourly']).default('daily'),
  max_log_files: positiveInt.default(7),
  /** Record X-Forwarded-For as the client address; only behind a trusted proxy. */
  trust_forwarded_headers: z.boolean().optional(),
});

export const QdrantConfiguration = z.strictObject({
  /** Qdrant's log_level, e.g. "INFO" or "debug,actix=warn"; unset: the operator's default. */
  log_level: z.string().min(1).optional(),
  collection: QdrantConfigurationCollection.optional(),
  service: QdrantConfigurationService.optional(),
  tls: QdrantConfigurationTLS.optional(),
  storage: QdrantConfigurationStorage.optional(),
  /** Used in Qdrant's managed cloud only. */
  inference: z.strictObject({ enabled: z.boolean().default(false) }).optional(),
  audit: QdrantConfigurationAudit.optional(),
});
export type QdrantConfiguration = z.infer<typeof QdrantConfiguration>;
